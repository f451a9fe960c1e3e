// VietQR (NAPAS, EMVCo merchant-presented mode) payloads for bank transfers, and the QR as SVG path data.
import QRCode from "qrcode";

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), as EMVCo field 63 requires; 4 upper-case hex digits. */
export function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, "utf8")) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, "0");
}

/** One EMVCo TLV field: two-digit id, two-digit length, value. */
function field(id: string, value: string): string {
  const length = Buffer.byteLength(value, "utf8");
  if (length > 99) throw new Error(`EMVCo field ${id} is longer than 99 bytes`);
  return `${id}${String(length).padStart(2, "0")}${value}`;
}

const CURRENCY_NUMERIC: Record<string, string> = { VND: "704", USD: "840", EUR: "978" };

export interface TransferDetails {
  bankBin: string; // NAPAS acquirer BIN, 6 digits
  accountNumber: string;
  amount: number; // whole currency units
  currency: string; // ISO 4217 alpha code
  memo: string; // the payment reference the bank shows as transfer content
}

/**
 * The VietQR string: account-transfer service (QRIBFTTA), dynamic because it carries an amount,
 * with the reference as "purpose of transaction" so banking apps prefill the transfer memo.
 */
export function vietQrPayload(d: TransferDetails): string {
  const numeric = CURRENCY_NUMERIC[d.currency];
  if (!numeric) throw new Error(`no ISO 4217 numeric code for ${d.currency}`);
  const beneficiary = field("00", d.bankBin) + field("01", d.accountNumber);
  const merchant = field("00", "A000000727") + field("01", beneficiary) + field("02", "QRIBFTTA");
  const body =
    field("00", "01") +
    field("01", "12") +
    field("38", merchant) +
    field("53", numeric) +
    field("54", String(Math.round(d.amount))) +
    field("58", "VN") +
    field("62", field("08", d.memo)) +
    "6304";
  return body + crc16(body);
}

/** Reads a payload back into its top-level fields (tests and the admin view use it). */
export function parseEmv(payload: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < payload.length) {
    const id = payload.slice(i, i + 2);
    const len = Number(payload.slice(i + 2, i + 4));
    out.set(id, payload.slice(i + 4, i + 4 + len));
    i += 4 + len;
  }
  return out;
}

export interface QrSvg {
  size: number; // modules per side, quiet zone included
  path: string; // one SVG path drawing every dark module
}

/**
 * The QR code as a single SVG path, so templates draw it with an escaped attribute instead of
 * injecting markup (raw output is reserved for includes).
 */
export function qrSvgPath(text: string, quietZone = 4): QrSvg {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const { size, data } = qr.modules;
  const parts: string[] = [];
  for (let y = 0; y < size; y++) {
    let x = 0;
    while (x < size) {
      if (!data[y * size + x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && data[y * size + x]) x++;
      parts.push(`M${start + quietZone} ${y + quietZone}h${x - start}v1h-${x - start}z`);
    }
  }
  return { size: size + quietZone * 2, path: parts.join("") };
}
