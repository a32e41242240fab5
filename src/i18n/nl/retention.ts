// Texts of the retention pages.
export const retention = {};
