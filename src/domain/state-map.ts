/**
 * Mexico's states as SVG paths, for the public choropleth map: the INEGI outlines in
 * data/reference/mx-states.geojson, projected (longitude scaled by the cosine of the country's middle
 * latitude, so shapes are not stretched) and thinned to points at least a tenth of a unit apart in a
 * 1000-unit-wide drawing. The browser draws them; nothing is fetched from elsewhere.
 */

type Ring = [number, number][];
type Geometry = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
export interface StatesGeoJson {
  features: { properties: { CVE_ENT: string; NOM_ENT: string }; geometry: Geometry }[];
}

export interface StateMap {
  viewBox: string;
  states: { code: string; name: string; path: string }[];
}

const WIDTH = 1000;
const MIN_STEP = 1.5;

export function projectStateMap(geojson: StatesGeoJson): StateMap {
  const rings = (g: Geometry): Ring[] => (g.type === 'Polygon' ? g.coordinates : g.coordinates.flat());
  const all = geojson.features.flatMap((f) => rings(f.geometry).flat());
  const minLon = Math.min(...all.map((p) => p[0]));
  const maxLon = Math.max(...all.map((p) => p[0]));
  const minLat = Math.min(...all.map((p) => p[1]));
  const maxLat = Math.max(...all.map((p) => p[1]));
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const scale = WIDTH / ((maxLon - minLon) * k);
  const height = Math.ceil((maxLat - minLat) * scale);
  const project = ([lon, lat]: [number, number]): [number, number] => [(lon - minLon) * k * scale, (maxLat - lat) * scale];

  const ringPath = (ring: Ring): string => {
    const points: [number, number][] = [];
    for (const p of ring.map(project)) {
      const last = points[points.length - 1];
      if (!last || Math.hypot(p[0] - last[0], p[1] - last[1]) >= MIN_STEP) points.push(p);
    }
    if (points.length < 3) return '';
    return `M${points.map(([x, y]) => `${x.toFixed(1)} ${y.toFixed(1)}`).join('L')}Z`;
  };

  return {
    viewBox: `0 0 ${WIDTH} ${height}`,
    states: geojson.features
      .map((f) => ({ code: f.properties.CVE_ENT, name: f.properties.NOM_ENT, path: rings(f.geometry).map(ringPath).join('') }))
      .sort((a, b) => a.code.localeCompare(b.code)),
  };
}
