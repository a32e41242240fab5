// Texts of the schools pages.
export const schools = {
  title: "Scholen",
  name: "Naam",
  brin: "BRIN",
  location: "Vestiging",
  sector: "Sector",
  city: "Plaats",
  contact: "Contactpersoon",
  applications: "Applicaties",
  applicationsTitle: "Applicaties die deze school gebruikt",
  since: "Sinds",
  until: "Tot",
  localContact: "Lokaal contact",
  supplier: "Leverancier",
  lifecycle: "Levensfase",
  none: "Deze school gebruikt nog geen applicaties in het register.",
  archived: "Gearchiveerd",
};
