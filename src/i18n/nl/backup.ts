// Texts of the backup pages.
export const backup = {};
