/**
 * Simple-font encodings (PDF 32000-1, Annex D) and the Unicode value of their glyph names (the
 * Adobe Glyph List's, for these names only). The lean text extractor decodes the text of fonts
 * without a /ToUnicode map through these; a glyph name outside this list makes it hand the
 * document to pdfjs, which knows every name.
 */

const LATIN1_NAMES =
  'exclamdown cent sterling currency yen brokenbar section dieresis copyright ordfeminine guillemotleft logicalnot hyphen registered macron ' +
  'degree plusminus twosuperior threesuperior acute mu paragraph periodcentered cedilla onesuperior ordmasculine guillemotright onequarter onehalf threequarters questiondown ' +
  'Agrave Aacute Acircumflex Atilde Adieresis Aring AE Ccedilla Egrave Eacute Ecircumflex Edieresis Igrave Iacute Icircumflex Idieresis ' +
  'Eth Ntilde Ograve Oacute Ocircumflex Otilde Odieresis multiply Oslash Ugrave Uacute Ucircumflex Udieresis Yacute Thorn germandbls ' +
  'agrave aacute acircumflex atilde adieresis aring ae ccedilla egrave eacute ecircumflex edieresis igrave iacute icircumflex idieresis ' +
  'eth ntilde ograve oacute ocircumflex otilde odieresis divide oslash ugrave uacute ucircumflex udieresis yacute thorn ydieresis';

const ASCII_NAMES =
  'space exclam quotedbl numbersign dollar percent ampersand quotesingle parenleft parenright asterisk plus comma hyphen period slash ' +
  'zero one two three four five six seven eight nine colon semicolon less equal greater question ' +
  'at A B C D E F G H I J K L M N O P Q R S T U V W X Y Z bracketleft backslash bracketright asciicircum underscore ' +
  'grave a b c d e f g h i j k l m n o p q r s t u v w x y z braceleft bar braceright asciitilde';

const WIN_ANSI_HIGH =
  'bullet Euro bullet quotesinglbase florin quotedblbase ellipsis dagger daggerdbl circumflex perthousand Scaron guilsinglleft OE bullet Zcaron bullet ' +
  'bullet quoteleft quoteright quotedblleft quotedblright bullet endash emdash tilde trademark scaron guilsinglright oe bullet zcaron Ydieresis space';

function table(entries: [number, string][]): string[] {
  const out = new Array<string>(256).fill('');
  for (const [code, names] of entries) names.split(' ').forEach((n, i) => (out[code + i] = n));
  return out;
}

/** WinAnsiEncoding: code → glyph name ('' where none). */
export const WIN_ANSI_ENCODING = table([
  [32, ASCII_NAMES],
  [127, WIN_ANSI_HIGH],
  [161, LATIN1_NAMES],
]);

/** StandardEncoding: code → glyph name ('' where none). */
export const STANDARD_ENCODING = table([
  [32, ASCII_NAMES.replace('quotesingle', 'quoteright').replace('grave', 'quoteleft')],
  [161, 'exclamdown cent sterling fraction yen florin section currency quotesingle quotedblleft guillemotleft guilsinglleft guilsinglright fi fl'],
  [177, 'endash dagger daggerdbl periodcentered'],
  [182, 'paragraph bullet quotesinglbase quotedblbase quotedblright guillemotright ellipsis perthousand'],
  [191, 'questiondown'],
  [193, 'grave acute circumflex tilde macron breve dotaccent dieresis'],
  [202, 'ring cedilla'],
  [205, 'hungarumlaut ogonek caron emdash'],
  [225, 'AE'],
  [227, 'ordfeminine'],
  [232, 'Lslash Oslash OE ordmasculine'],
  [241, 'ae'],
  [245, 'dotlessi'],
  [248, 'lslash oslash oe germandbls'],
]);

/** MacRomanEncoding: code → glyph name ('' where none); pdfjs's base for symbolic fonts without an encoding. */
export const MAC_ROMAN_ENCODING = table([
  [32, ASCII_NAMES],
  [
    128,
    'Adieresis Aring Ccedilla Eacute Ntilde Odieresis Udieresis aacute agrave acircumflex adieresis atilde aring ccedilla eacute egrave ' +
      'ecircumflex edieresis iacute igrave icircumflex idieresis ntilde oacute ograve ocircumflex odieresis otilde uacute ugrave ucircumflex udieresis ' +
      'dagger degree cent sterling section bullet paragraph germandbls registered copyright trademark acute dieresis notequal AE Oslash ' +
      'infinity plusminus lessequal greaterequal yen mu partialdiff summation product pi integral ordfeminine ordmasculine Omega ae oslash ' +
      'questiondown exclamdown logicalnot radical florin approxequal Delta guillemotleft guillemotright ellipsis space Agrave Atilde Otilde OE oe ' +
      'endash emdash quotedblleft quotedblright quoteleft quoteright divide lozenge ydieresis Ydieresis fraction currency guilsinglleft guilsinglright fi fl ' +
      'daggerdbl periodcentered quotesinglbase quotedblbase perthousand Acircumflex Ecircumflex Aacute Edieresis Egrave Iacute Icircumflex Idieresis Igrave Oacute Ocircumflex ' +
      'apple Ograve Uacute Ucircumflex Ugrave dotlessi circumflex tilde macron breve dotaccent ring cedilla hungarumlaut ogonek caron',
  ],
]);

/** Glyph name → Unicode, for every name in the two encodings above (and a few more). */
export const GLYPH_UNICODE = new Map<string, number>();
{
  // Windows-1252 at 0x80–0x9F (elsewhere WinAnsi's glyphs are the Latin-1 characters of their codes).
  // prettier-ignore
  const cp1252 = [0x20ac, 0, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0, 0x17d, 0,
    0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0, 0x17e, 0x178];
  WIN_ANSI_ENCODING.forEach((name, code) => {
    if (!name || GLYPH_UNICODE.has(name)) return;
    GLYPH_UNICODE.set(name, code >= 0x80 && code <= 0x9f ? cp1252[code - 0x80]! : code);
  });
  const extra: [string, number][] = [
    ['space', 0x20],
    ['hyphen', 0x2d],
    ['bullet', 0x2022],
    ['quoteright', 0x2019],
    ['quoteleft', 0x2018],
    ['fraction', 0x2044],
    ['fi', 0xfb01],
    ['fl', 0xfb02],
    ['breve', 0x2d8],
    ['dotaccent', 0x2d9],
    ['ring', 0x2da],
    ['hungarumlaut', 0x2dd],
    ['ogonek', 0x2db],
    ['caron', 0x2c7],
    ['Lslash', 0x141],
    ['lslash', 0x142],
    ['dotlessi', 0x131],
    ['minus', 0x2212],
    // MacRoman's mathematical signs, as pdfjs's glyph list maps them (Omega and Delta to the Ohm and increment signs).
    ['notequal', 0x2260],
    ['infinity', 0x221e],
    ['lessequal', 0x2264],
    ['greaterequal', 0x2265],
    ['partialdiff', 0x2202],
    ['summation', 0x2211],
    ['product', 0x220f],
    ['pi', 0x3c0],
    ['integral', 0x222b],
    ['Omega', 0x2126],
    ['radical', 0x221a],
    ['approxequal', 0x2248],
    ['Delta', 0x2206],
    ['lozenge', 0x25ca],
  ];
  for (const [name, code] of extra) GLYPH_UNICODE.set(name, code);
}
