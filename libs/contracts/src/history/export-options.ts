import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  Validate,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { EXPORT_FORMATS, type ExportFormat } from './export-formats.js';

export const EXPORT_FORMAT_MESSAGE = `format must be one of: ${EXPORT_FORMATS.join(', ')}`;
export const BOM_WITHOUT_CSV_MESSAGE = 'bom is only for CSV (a byte order mark has no place in NDJSON): leave it out or ask for CSV';

// A mixin's constructor type must take `any[]` (TS2545), whatever the base.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T = object> = new (...args: any[]) => T;

/** `bom` may be true only when the file is CSV (`format` absent or `csv`). */
@ValidatorConstraint({ name: 'bomOnlyWithCsv' })
export class BomOnlyWithCsv implements ValidatorConstraintInterface {
  validate(bom: unknown, args: ValidationArguments): boolean {
    return bom !== true || (args.object as { format?: unknown }).format !== 'ndjson';
  }

  defaultMessage(): string {
    return BOM_WITHOUT_CSV_MESSAGE;
  }
}

/** Query strings carry text: `true` / `false` (any case) become booleans; anything else is left for @IsBoolean to refuse. */
function booleanFromQuery({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  const lower = value.trim().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : value;
}

/** The file options of an export: its format and whether a CSV starts with a byte order mark. */
export interface ExportFileOptions {
  format?: ExportFormat;
  bom?: boolean;
}

/**
 * Adds `format` and `bom` to an export's query class (a mixin, so the query keeps its filter class as its base).
 * `bom` arrives as text (`true` / `false`).
 */
export function WithExportQueryOptions<TBase extends Constructor>(Base: TBase) {
  class ExportQuery extends Base implements ExportFileOptions {
    /** Overrides the Accept header; CSV when neither chooses. */
    @IsOptional()
    @IsIn(EXPORT_FORMATS, { message: EXPORT_FORMAT_MESSAGE })
    format?: ExportFormat;

    /** `true`: the CSV starts with the UTF-8 byte order mark, so Excel opens Chinese text intact. CSV only. */
    @IsOptional()
    @Transform(booleanFromQuery)
    @IsBoolean({ message: 'bom must be true or false' })
    @Validate(BomOnlyWithCsv)
    bom?: boolean;
  }
  return ExportQuery;
}
