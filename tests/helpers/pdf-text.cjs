// Prints the text of the PDF on standard input. Run as a child process by tests/helpers/pdf.ts: pdf.js
// (inside pdf-parse) loads its worker with a dynamic import, which jest's module system does not allow.
const { PDFParse } = require("pdf-parse");

const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", async () => {
  const parser = new PDFParse({ data: Buffer.concat(chunks) });
  try {
    const result = await parser.getText();
    process.stdout.write(JSON.stringify({ text: result.text, pages: result.total }));
  } finally {
    await parser.destroy();
  }
});
