/** A point in decimal degrees. */
export interface Point {
  readonly lat: number;
  readonly lng: number;
}

/** Mean Earth radius, as geofire-common's `distanceBetween` measures. */
const EARTH_RADIUS_KM = 6371;
const toRadians = (degrees: number) => (degrees * Math.PI) / 180;
const toDegrees = (radians: number) => (radians * 180) / Math.PI;

/** The point `distanceKm` from `start` in the direction `bearing` (degrees clockwise from north), on the sphere. */
export function destination(start: Point, bearing: number, distanceKm: number): Point {
  const delta = distanceKm / EARTH_RADIUS_KM;
  const theta = toRadians(bearing);
  const lat1 = toRadians(start.lat);
  const lat2 = Math.asin(
    Math.sin(lat1) * Math.cos(delta) + Math.cos(lat1) * Math.sin(delta) * Math.cos(theta),
  );
  const lng2 =
    toRadians(start.lng) +
    Math.atan2(
      Math.sin(theta) * Math.sin(delta) * Math.cos(lat1),
      Math.cos(delta) - Math.sin(lat1) * Math.sin(lat2),
    );
  const lng = ((((toDegrees(lng2) + 180) % 360) + 360) % 360) - 180;
  return { lat: Math.max(-90, Math.min(90, toDegrees(lat2))), lng };
}

/** A random point on land or sea away from the poles, so that tests using it do not meet each other's events. */
export function randomCentre(): Point {
  return { lat: -50 + Math.random() * 100, lng: -180 + Math.random() * 360 };
}
