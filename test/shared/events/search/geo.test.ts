import fc from 'fast-check';
import { geohashForLocation } from 'geofire-common';
import type { GeoLocation } from '../../../../shared/events/event';
import { destination } from '../../../support/geo-points';
import {
  coveringCells,
  distanceKm,
  geoCellsOf,
  MAX_COVERING_CELLS,
} from '../../../../shared/events/search/geo';

function cellOf(point: GeoLocation, precision: number): string {
  return geohashForLocation([point.lat, point.lng], precision);
}

const latitude = fc.double({ min: -90, max: 90, noNaN: true });
const longitude = fc.double({ min: -180, max: 180, noNaN: true });
const radius = fc.double({ min: 0.01, max: 500, noNaN: true });

describe('geoCellsOf', () => {
  it('stores the cell of the location at every precision', () => {
    expect(geoCellsOf({ lat: 48.1374, lng: 11.5755 })).toEqual({
      geohash1: 'u',
      geohash2: 'u2',
      geohash3: 'u28',
      geohash4: 'u281',
      geohash5: 'u281z',
      geohash6: 'u281z7',
    });
  });
});

describe('coveringCells', () => {
  it('covers every point within the radius, wherever the circle is', () => {
    fc.assert(
      fc.property(
        latitude,
        longitude,
        radius,
        fc.double({ min: 0, max: 360, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (lat, lng, radiusKm, bearing, fraction) => {
          const center = { lat, lng };
          const point = destination(center, bearing, radiusKm * fraction);
          fc.pre(distanceKm(point, center) <= radiusKm);
          const cover = coveringCells(center, radiusKm);
          expect(cover.cells).toContain(cellOf(point, cover.precision));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('uses at most the maximal number of distinct cells below the coarsest precision', () => {
    fc.assert(
      fc.property(latitude, longitude, radius, (lat, lng, radiusKm) => {
        const cover = coveringCells({ lat, lng }, radiusKm);
        expect(new Set(cover.cells).size).toBe(cover.cells.length);
        if (cover.precision > 1) expect(cover.cells.length).toBeLessThanOrEqual(MAX_COVERING_CELLS);
      }),
      { numRuns: 1000 },
    );
  });

  it('picks fine cells for a small radius', () => {
    expect(coveringCells({ lat: 48.1374, lng: 11.5755 }, 1).precision).toBe(5);
  });

  it('covers both sides of the antimeridian', () => {
    const cover = coveringCells({ lat: 0, lng: 179.99 }, 20);
    expect(cover.cells).toContain(cellOf({ lat: 0, lng: -179.9 }, cover.precision));
    expect(cover.cells).toContain(cellOf({ lat: 0, lng: 179.9 }, cover.precision));
    expect(cover.cells).toContain(cellOf({ lat: 0, lng: -180 }, cover.precision));
    expect(cover.cells).toContain(cellOf({ lat: 0, lng: 180 }, cover.precision));
  });

  it('covers every longitude around a pole', () => {
    const cover = coveringCells({ lat: 89.9, lng: 0 }, 50);
    for (const lng of [-180, -90, 0, 90, 180]) {
      expect(cover.cells).toContain(cellOf({ lat: 89.9, lng }, cover.precision));
    }
  });

  it('covers points on cell edges, which geohash assigns to the lower cell', () => {
    const center = { lat: 0.05, lng: 0.05 };
    const cover = coveringCells(center, 10);
    for (const point of [
      { lat: 0, lng: 0 },
      { lat: 0, lng: 0.1 },
      { lat: 0.1, lng: 0 },
    ]) {
      expect(distanceKm(point, center)).toBeLessThan(10);
      expect(cover.cells).toContain(cellOf(point, cover.precision));
    }
  });
});
