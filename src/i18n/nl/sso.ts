// Texts of single sign-on through the board's OpenID provider (Microsoft Entra ID, Google Workspace, a broker).
export const sso = {
  title: "Inloggen met het account van uw organisatie",
};
