// Texts of the reminders pages.
export const reminders = {};
