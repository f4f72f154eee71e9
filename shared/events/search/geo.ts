import { distanceBetween, geohashForLocation } from 'geofire-common';
import type { GeoLocation } from '../event';

/**
 * Geohash cells for radius search on Firestore. Each event stores the geohash cell containing it at a few
 * fixed precisions as plain equality fields (`geohash1` … `geohash6`). A search covers its circle with
 * cells of one precision and runs one query per cell, each filtered by equality on the cell and ordered by
 * `startsAt`: a geohash range filter would be an inequality and Firestore must then order by the geohash
 * first, which rules out paging in `startsAt` order.
 */

/** The stored precisions: 5000 km wide cells down to about 1.2 km × 0.6 km. */
export const GEO_PRECISIONS = [1, 2, 3, 4, 5, 6] as const;

/** One of the stored geohash precisions (number of characters). */
export type GeoPrecision = (typeof GEO_PRECISIONS)[number];

/** Name of the stored field holding an event's cell at `precision`. */
export type GeoCellField = `geohash${GeoPrecision}`;

/** The finest cells whose count stays at or below this are chosen: one Firestore query per cell. */
export const MAX_COVERING_CELLS = 9;

/** Mean Earth radius used by geofire-common's `distanceBetween`, so that covering and filtering agree. */
const EARTH_RADIUS_KM = 6371;
const BITS_PER_CHARACTER = 5;
/** Keeps points lying exactly on a bounding-box edge inside whichever cell geohash assigns them to. */
const EDGE_TOLERANCE_DEGREES = 1e-9;

/** The stored field name for cells of `precision`. */
export function geoCellField(precision: GeoPrecision): GeoCellField {
  return `geohash${precision}`;
}

/** The cells containing `location` at every stored precision, as stored on the event. */
export function geoCellsOf(location: GeoLocation): Record<GeoCellField, string> {
  const finest = geohashForLocation([location.lat, location.lng], Math.max(...GEO_PRECISIONS));
  return Object.fromEntries(
    GEO_PRECISIONS.map((precision) => [geoCellField(precision), finest.slice(0, precision)]),
  ) as Record<GeoCellField, string>;
}

/** Great-circle distance in kilometres, as the radius filter measures it. */
export function distanceKm(a: GeoLocation, b: GeoLocation): number {
  return distanceBetween([a.lat, a.lng], [b.lat, b.lng]);
}

/** A set of same-precision cells that together contain a whole circle. */
export interface GeoCover {
  readonly precision: GeoPrecision;
  /** Distinct cells; every point within the radius lies in exactly one of them. */
  readonly cells: readonly string[];
}

interface CellGrid {
  readonly rows: number;
  readonly columns: number;
  readonly height: number;
  readonly width: number;
}

/** Geohash alternates longitude and latitude bits, longitude first. */
function gridOf(precision: GeoPrecision): CellGrid {
  const bits = precision * BITS_PER_CHARACTER;
  const latitudeBits = Math.floor(bits / 2);
  const longitudeBits = bits - latitudeBits;
  return {
    rows: 2 ** latitudeBits,
    columns: 2 ** longitudeBits,
    height: 180 / 2 ** latitudeBits,
    width: 360 / 2 ** longitudeBits,
  };
}

interface BoundingBox {
  readonly south: number;
  readonly north: number;
  /** May fall below -180 or exceed 180 when the box crosses the antimeridian. */
  readonly west: number;
  readonly east: number;
}

/** The smallest latitude/longitude box containing every point within `radiusKm` of `center` on the sphere. */
function boundingBox(center: GeoLocation, radiusKm: number): BoundingBox {
  const angularRadius = radiusKm / EARTH_RADIUS_KM;
  const latitudeSpan = (angularRadius * 180) / Math.PI;
  const south = center.lat - latitudeSpan;
  const north = center.lat + latitudeSpan;
  const sinRadius = Math.sin(angularRadius);
  const cosLatitude = Math.cos((center.lat * Math.PI) / 180);
  // A circle around a pole (or one that reaches past it) spans every longitude.
  if (south <= -90 || north >= 90 || sinRadius >= cosLatitude) {
    return { south: Math.max(south, -90), north: Math.min(north, 90), west: -180, east: 180 };
  }
  const longitudeSpan = (Math.asin(sinRadius / cosLatitude) * 180) / Math.PI;
  return { south, north, west: center.lng - longitudeSpan, east: center.lng + longitudeSpan };
}

function indexRange(low: number, high: number, size: number): [number, number] {
  return [
    Math.floor((low - EDGE_TOLERANCE_DEGREES) / size),
    Math.floor((high + EDGE_TOLERANCE_DEGREES) / size),
  ];
}

/** The rows and columns of a precision's grid that a box overlaps. */
interface GridSpan {
  readonly precision: GeoPrecision;
  readonly grid: CellGrid;
  readonly firstRow: number;
  readonly rowCount: number;
  readonly firstColumn: number;
  /** Columns wrap around the antimeridian; a box spanning every longitude counts each column once. */
  readonly columnCount: number;
}

function spanOf(box: BoundingBox, precision: GeoPrecision): GridSpan {
  const grid = gridOf(precision);
  const [southRow, northRow] = indexRange(box.south + 90, box.north + 90, grid.height);
  const [firstColumn, lastColumn] = indexRange(box.west + 180, box.east + 180, grid.width);
  const firstRow = Math.max(southRow, 0);
  return {
    precision,
    grid,
    firstRow,
    rowCount: Math.min(northRow, grid.rows - 1) - firstRow + 1,
    firstColumn,
    columnCount: Math.min(lastColumn - firstColumn + 1, grid.columns),
  };
}

function cellsOf(span: GridSpan): string[] {
  const { grid } = span;
  const cells: string[] = [];
  for (let row = span.firstRow; row < span.firstRow + span.rowCount; row++) {
    for (let offset = 0; offset < span.columnCount; offset++) {
      const column = (((span.firstColumn + offset) % grid.columns) + grid.columns) % grid.columns;
      // A cell's centre is never on an edge, so it encodes to that cell whatever the tie-breaking rule.
      const centre: [number, number] = [-90 + (row + 0.5) * grid.height, -180 + (column + 0.5) * grid.width];
      cells.push(geohashForLocation(centre, span.precision));
    }
  }
  return cells;
}

/**
 * The finest stored precision whose cells covering the circle number at most {@link MAX_COVERING_CELLS};
 * if none does (only large circles around a pole), the coarsest, which has 32 cells in all.
 */
export function coveringCells(center: GeoLocation, radiusKm: number): GeoCover {
  const box = boundingBox(center, radiusKm);
  const [coarsest, ...finer] = GEO_PRECISIONS;
  // Spans are counted before any cell is listed, so a fine grid under a large circle costs nothing.
  const chosen =
    finer
      .reverse()
      .map((precision) => spanOf(box, precision))
      .find((span) => span.rowCount * span.columnCount <= MAX_COVERING_CELLS) ?? spanOf(box, coarsest);
  return { precision: chosen.precision, cells: cellsOf(chosen) };
}
