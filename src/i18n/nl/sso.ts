// Texts of single sign-on through the board's OpenID provider (Microsoft Entra ID, Google Workspace, a broker).
export const sso = {
  title: "Inloggen met het account van uw organisatie",
  buttonWith: "Inloggen met {name}",
  or: "Of log in met het e-mailadres en wachtwoord van uw account in het IBP-register:",
  failed: {
    unavailable:
      "De inlogdienst van uw organisatie is nu niet bereikbaar. U bent niet ingelogd. Probeer het over een paar minuten opnieuw.",
    refused: "Uw organisatie heeft de aanmelding niet toegestaan, of u heeft die afgebroken. U bent niet ingelogd.",
    invalid: "Het antwoord van de inlogdienst van uw organisatie klopte niet. U bent niet ingelogd. Probeer het opnieuw.",
    expired:
      "Deze aanmelding is verlopen, al gebruikt of niet in deze browser begonnen. U bent niet ingelogd. Begin opnieuw met de knop hieronder.",
    unknown: "Er is in het IBP-register geen account voor {email}. Vraag een beheerder van het register om u uit te nodigen.",
    noEmail:
      "Uw organisatie gaf geen e-mailadres door, en uw account is nog niet met uw organisatie gekoppeld. Vraag een beheerder van het register om hulp.",
    emailUnverified: "Volgens uw organisatie is uw e-mailadres niet bevestigd. Bevestig het eerst bij uw organisatie.",
    disabled: "Uw account in het IBP-register is gedeactiveerd. Neem contact op met een beheerder van het register.",
    otherSubject:
      "Uw account in het IBP-register is al gekoppeld aan een ander account bij uw organisatie. Neem contact op met een beheerder van het register.",
    wrongDomain: "Log in met een account van {domain}.",
    noSchool: "Uw organisatie gaf niet door bij welke school u hoort. Vraag een beheerder van het register om hulp.",
    unknownSchool: "Uw school (BRIN {brin}) staat niet in het IBP-register. Vraag een beheerder van het register om de school toe te voegen.",
  },
  audit: {
    summary: "{name} ingelogd via single sign-on: {changes}",
    linked: "gekoppeld aan het account bij {issuer}",
    role: "rol volgens de claim {claim}",
    schools: "scholen volgens de claim {claim}",
  },

};
