/** Which Producer and Creator values name a PDF editing tool, and which name software that only creates PDFs. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editingToolIn } from '../../src/fraud/editing-tools.ts';

test('editing tools are named by their Producer or Creator values', () => {
  const edited: [string, string][] = [
    ['iLovePDF', 'iLovePDF'],
    ['Sejda 7.0.5', 'Sejda'],
    ['PDFescape Online 2.0', 'PDFescape'],
    ['Smallpdf.com', 'Smallpdf'],
    ['Foxit PDF Editor Printer Version 11.2.1', 'Foxit PDF Editor'],
    ['Foxit PhantomPDF Printer Version 10.1', 'Foxit PDF Editor'],
    ['Adobe Acrobat Pro DC 21.1.20155', 'Adobe Acrobat'],
    ['Nitro Pro 13 (13.70.2.40)', 'Nitro'],
    ['PDF-XChange Editor 9.5.366', 'PDF-XChange'],
    ['Wondershare PDFelement', 'Wondershare PDFelement'],
    ['Canva', 'Canva'],
  ];
  for (const [value, tool] of edited) assert.equal(editingToolIn(value)?.name, tool, value);
});

test('software that creates PDFs is no editing tool', () => {
  for (const value of [
    'Acrobat Distiller 10.1.8 (Windows)',
    'Adobe PDF Library 15.0',
    'Adobe Acrobat Distiller 11.0',
    'Acrobat PDFMaker 23 for Word',
    'Microsoft® Word for Microsoft 365',
    'iText® 5.5.13 ©2000-2020 iText Group NV (AGPL-version)',
    'JasperReports Library version 6.3.0',
    'GPL Ghostscript 10.02.1',
    'Skia/PDF m120',
    'LibreOffice 7.3',
    'ReportLab PDF Library - www.reportlab.com',
    'Passbook sample generator',
    'Foxit Reader PDF Printer Version 9.7',
  ]) {
    assert.equal(editingToolIn(value), null, value);
  }
});
