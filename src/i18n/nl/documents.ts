// Texts of document uploads and downloads.
export const documents = {};
