// Texts of the processor agreement pages.
export const agreements = {
  endsOn: "eindigt",
};
