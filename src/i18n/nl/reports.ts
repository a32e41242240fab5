// Texts of the reports pages.
export const reports = {};
