// Texts of the intake pages.
export const intake = {};
