import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorDetailDto {
  /** The field at fault, dotted for nested fields. */
  field: string;
  message: string;
}

/** Every error response has this shape. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'Bad Request' })
  error: string;

  @ApiProperty({ example: 'The request is not valid.' })
  message: string;

  /** A stable machine code, e.g. VALIDATION_FAILED, UNAUTHENTICATED, INSUFFICIENT_SCOPE, NOT_FOUND. */
  @ApiProperty({ example: 'VALIDATION_FAILED' })
  code: string;

  @ApiPropertyOptional({ type: [ErrorDetailDto] })
  details?: ErrorDetailDto[];
}
