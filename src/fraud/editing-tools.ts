/**
 * PDF editing tools, by the names they write into a file's Producer or Creator. A bank's
 * statement server does not use them; a statement that passed through one was opened and saved
 * by someone after the bank made it. Tools that only create PDFs (Acrobat Distiller, the Adobe
 * PDF Library, Office's PDF makers, Ghostscript, print drivers) are not editing tools and are
 * not listed: banks' own pipelines use them.
 */

export interface EditingTool {
  name: string;
  pattern: RegExp;
}

export const EDITING_TOOLS: EditingTool[] = [
  { name: 'iLovePDF', pattern: /ilove\s?pdf/i },
  { name: 'Sejda', pattern: /sejda/i },
  { name: 'PDFescape', pattern: /pdf\s?escape/i },
  { name: 'Smallpdf', pattern: /small\s?pdf/i },
  { name: 'Foxit PDF Editor', pattern: /foxit\s+(pdf\s+editor|phantom\s?pdf|advanced\s+pdf\s+editor)/i },
  // Acrobat edits; Distiller, the PDF Library, PDFMaker and Paper Capture create.
  { name: 'Adobe Acrobat', pattern: /adobe\s+acrobat(?!\s+(distiller|pdfmaker|paper\s+capture))(?![^;]*pdf\s?library)/i },
  { name: 'Nitro', pattern: /nitro\s?(pro|pdf)/i },
  { name: 'PDF-XChange', pattern: /pdf-?xchange/i },
  { name: 'Wondershare PDFelement', pattern: /wondershare|pdf\s?element/i },
  { name: 'Soda PDF', pattern: /soda\s?pdf/i },
  { name: 'PDF Candy', pattern: /pdf\s?candy/i },
  { name: 'pdfFiller', pattern: /pdf\s?filler/i },
  { name: 'PDF Expert', pattern: /pdf\s?expert/i },
  { name: 'PDF Buddy', pattern: /pdf\s?buddy/i },
  { name: 'DocFly', pattern: /docfly/i },
  { name: 'Master PDF Editor', pattern: /master\s+pdf\s+editor/i },
  { name: 'LightPDF', pattern: /light\s?pdf/i },
  { name: 'PDF24', pattern: /pdf24/i },
  { name: 'Canva', pattern: /\bcanva\b/i },
];

/** The editing tool a Producer or Creator value names, or null. */
export function editingToolIn(value: string): EditingTool | null {
  return EDITING_TOOLS.find((t) => t.pattern.test(value)) ?? null;
}
