//! GeoRSS and GML geometry (feedparser's `namespaces/georss.py`) and Podlove Simple Chapters start times.

use serde_json::{Map, Value};

use super::parser::Dict;

/// EPSG codes of geographic (latitude/longitude) coordinate systems, as inclusive ranges (`_geogCS`).
const GEOGRAPHIC_EPSG: &[(u32, u32)] = &[
    (3819, 3819),
    (3821, 3821),
    (3824, 3824),
    (3889, 3889),
    (3906, 3906),
    (4001, 4016),
    (4018, 4025),
    (4027, 4036),
    (4041, 4047),
    (4052, 4055),
    (4075, 4075),
    (4081, 4081),
    (4120, 4176),
    (4178, 4185),
    (4188, 4216),
    (4218, 4289),
    (4291, 4304),
    (4306, 4319),
    (4322, 4322),
    (4324, 4324),
    (4326, 4326),
    (4463, 4463),
    (4470, 4470),
    (4475, 4475),
    (4483, 4483),
    (4490, 4490),
    (4555, 4555),
    (4558, 4558),
    (4600, 4646),
    (4657, 4765),
    (4801, 4811),
    (4813, 4821),
    (4823, 4824),
    (4901, 4904),
    (4979, 4979),
];

/// Whether coordinates in this EPSG system are written latitude first.
pub fn is_geographic_epsg(code: u32) -> bool {
    GEOGRAPHIC_EPSG.iter().any(|(a, b)| (*a..=*b).contains(&code))
}

/// `_gen_georss_coords`: the coordinate tuples of a whitespace/comma separated list; `None` when a number
/// does not parse.
fn coords(value: &str, swap: bool, dims: i64) -> Option<Vec<Vec<f64>>> {
    let replaced = value.replace(',', " ");
    let mut nums = Vec::new();
    for token in replaced.split_whitespace() {
        nums.push(token.parse::<f64>().ok()?);
    }
    let step = if dims == 3 { 3 } else { 2 };
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < nums.len() {
        let mut t = if swap { vec![nums[i + 1], nums[i]] } else { vec![nums[i], nums[i + 1]] };
        if dims == 3 {
            let Some(z) = nums.get(i + 2) else { break };
            t.push(*z);
        }
        out.push(t);
        i += step;
    }
    Some(out)
}

fn tuple(t: &[f64]) -> Value {
    Value::Array(t.iter().map(|v| Value::from(*v)).collect())
}

fn geometry(kind: &str, coordinates: Value) -> Dict {
    let mut d = Map::new();
    d.insert("type".into(), Value::String(kind.into()));
    d.insert("coordinates".into(), coordinates);
    d
}

pub fn parse_point(value: &str, swap: bool, dims: i64) -> Option<Dict> {
    let c = coords(value, swap, dims)?;
    let first = c.first()?;
    Some(geometry("Point", tuple(first)))
}

pub fn parse_line(value: &str, swap: bool, dims: i64) -> Option<Dict> {
    let c = coords(value, swap, dims)?;
    Some(geometry("LineString", Value::Array(c.iter().map(|t| tuple(t)).collect())))
}

pub fn parse_polygon(value: &str, swap: bool, dims: i64) -> Option<Dict> {
    let c = coords(value, swap, dims)?;
    if c.len() < 4 {
        return None;
    }
    let ring = Value::Array(c.iter().map(|t| tuple(t)).collect());
    Some(geometry("Polygon", Value::Array(vec![ring])))
}

pub fn parse_box(value: &str, swap: bool, dims: i64) -> Option<Dict> {
    let c = coords(value, swap, dims)?;
    Some(geometry("Box", Value::Array(c.iter().map(|t| tuple(t)).collect())))
}

/// A GML `posList` read as a line, made the single ring of a polygon.
pub fn ring_to_polygon(line: &Dict) -> Dict {
    let ring = line.get("coordinates").cloned().unwrap_or(Value::Array(Vec::new()));
    geometry("Polygon", Value::Array(vec![ring]))
}

/// A Podlove chapter start (`HH:MM:SS.mmm`, hours and milliseconds optional) in seconds.
pub fn parse_psc_start(start: &str) -> Option<f64> {
    let (main, ms) = match start.split_once('.') {
        Some((m, f)) if f.len() == 3 && f.bytes().all(|b| b.is_ascii_digit()) => (m, f.parse::<f64>().ok()?),
        Some(_) => return None,
        None => (start, 0.0),
    };
    let parts: Vec<&str> = main.split(':').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.len() != 2 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let nums: Vec<f64> = parts.iter().filter_map(|p| p.parse::<f64>().ok()).collect();
    let (h, m, s) = match nums.as_slice() {
        [h, m, s] => (*h, *m, *s),
        [m, s] => (0.0, *m, *s),
        _ => return None,
    };
    Some(h * 3600.0 + m * 60.0 + s + ms / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn georss_points_swap_to_lon_lat() {
        let p = parse_point("45.256 -71.92", true, 2);
        assert_eq!(p.and_then(|d| d.get("coordinates").cloned()), Some(serde_json::json!([-71.92, 45.256])));
        assert!(parse_polygon("1 2 3 4", true, 2).is_none());
        assert!(is_geographic_epsg(4326));
        assert!(!is_geographic_epsg(27700));
        assert_eq!(parse_psc_start("00:03:07.250"), Some(187.25));
        assert_eq!(parse_psc_start("12:00"), Some(720.0));
    }
}
