// Texts of two-factor authentication (TOTP): setting it up, signing in with a code, recovery codes.
export const twoFactor = {
  title: "Tweestapsverificatie",
};
