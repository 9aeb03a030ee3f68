import { z } from 'zod';

// [longitude, latitude] in WGS84, as GeoJSON orders them.
const position = z.array(z.number()).min(2).max(3);
const ring = z.array(position).min(4);

/**
 * The polygon geometries a state outline can have. Shared by the loader (which checks the shipped file)
 * and the API (which documents what it returns), so both agree on what a state geometry is.
 */
export const stateGeometrySchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) }),
  ])
  .meta({ id: 'StateGeometry', description: 'GeoJSON Polygon or MultiPolygon, WGS84 [lon, lat]' });

/** A state outline as stored and served. */
export type StateGeometry = z.infer<typeof stateGeometrySchema>;
