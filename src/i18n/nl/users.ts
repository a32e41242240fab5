// Texts of people and sign-in: the users page, invitations, sessions and the sign-in settings.
export const users = {
  twoFactorFirst: "Stel eerst tweestapsverificatie in; daarna kunt u verder.",
  signIn: {
    adminNeedsPassword: "Zonder single sign-on moeten beheerders met een wachtwoord kunnen inloggen.",
    needsSso: "Inloggen met een wachtwoord kan pas uit als single sign-on is ingesteld.",
  },
};
