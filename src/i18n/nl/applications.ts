// Texts of the application pages.
export const applications = {};
