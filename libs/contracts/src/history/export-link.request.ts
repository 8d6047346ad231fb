import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  registerDecorator,
  Validate,
  type ValidationArguments,
  validateSync,
} from 'class-validator';
import type { ApiErrorDetail } from '../errors/api-error.js';
import { encodeDetailList } from '../errors/detail-list-message.js';
import { describeJsonType, quoteForMessage } from '../errors/field-path.js';
import { toApiErrorDetails } from '../errors/to-api-error-details.js';
import { EXPORT_FORMATS, EXPORT_KINDS, type ExportFormat, type ExportKind } from './export-formats.js';
import { BomOnlyWithCsv, EXPORT_FORMAT_MESSAGE } from './export-options.js';
import { ExportRecipientsFilter, ExportSendsFilter } from './history.queries.js';

/** Each export's filter class: a link's `filters` are validated exactly as that export's query string is. */
const FILTERS_OF: Record<ExportKind, new () => object> = { sends: ExportSendsFilter, recipients: ExportRecipientsFilter };

const isExportKind = (value: unknown): value is ExportKind => (EXPORT_KINDS as readonly unknown[]).includes(value);
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function filterProblems(args: ValidationArguments): ApiErrorDetail[] {
  const [kindProperty] = args.constraints as [string];
  const kind: unknown = (args.object as Record<string, unknown>)[kindProperty];
  const property = args.property;
  // Which filters apply depends on the export: with an unusable one, only its own error is reported.
  if (!isExportKind(kind)) return [];
  if (args.value === undefined || args.value === null) {
    return [{ field: property, message: `${property} is required: the export's filters as an object, {} for everything` }];
  }
  if (!isPlainObject(args.value)) return [{ field: property, message: `${property} must be an object, got ${describeJsonType(args.value)}` }];
  const filters = args.value instanceof FILTERS_OF[kind] ? args.value : plainToInstance(FILTERS_OF[kind], args.value);
  // As the API's ValidationPipe judges the export's query string: unknown fields are errors.
  const errors = validateSync(filters, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  return toApiErrorDetails(errors).map(({ field, message }) => ({
    field: `${property}.${field}`,
    message: message.startsWith(`${field} `) ? `${property}.${message}` : message,
  }));
}

/** The export's filters, judged by the filter class of the export named in the sibling property `kindProperty`. */
function IsFiltersOfExport(kindProperty: string): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isFiltersOfExport',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [kindProperty],
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => filterProblems(args).length === 0,
        defaultMessage: (args: ValidationArguments) => encodeDetailList(filterProblems(args)),
      },
    });
  };
}

/**
 * Body of `POST /v1/exports/links`: which export, its file options and its filters, all checked when the link is
 * created, so a link can only ever download what its creator could have exported with the same request.
 */
export class CreateExportLinkRequest {
  @IsIn(EXPORT_KINDS, {
    message: (args) =>
      `export must be one of: ${EXPORT_KINDS.join(', ')}` + (typeof args.value === 'string' ? `, got ${quoteForMessage(args.value)}` : ''),
  })
  export!: ExportKind;

  /** CSV when absent (a link has no Accept header to negotiate with). */
  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: EXPORT_FORMAT_MESSAGE })
  format?: ExportFormat;

  /** `true`: the CSV starts with the UTF-8 byte order mark. CSV only. */
  @IsOptional()
  @IsBoolean({ message: 'bom must be true or false' })
  @Validate(BomOnlyWithCsv)
  bom?: boolean;

  /**
   * The export's filters, exactly those of its query string (no `format`, `bom` or paging); `{}` for everything.
   * Unknown fields are refused (`filters.colour`), as on the query string.
   */
  @IsFiltersOfExport('export')
  @Transform(({ value, obj }: { value: unknown; obj: Record<string, unknown> }) =>
    isPlainObject(value) && isExportKind(obj.export) ? plainToInstance(FILTERS_OF[obj.export], value) : value,
  )
  filters!: ExportSendsFilter | ExportRecipientsFilter;
}
