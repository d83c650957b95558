//! Character references in HTML text and attribute values: the XML five, the typographic named entities
//! news sites use most, and numeric references. Anything else is kept as written (never expanded). Pure.

/// Decodes the character references in `s`.
pub fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after
            .find(';')
            .filter(|&semi| semi > 0 && semi <= 32)
            .and_then(|semi| resolve(&after[..semi]).map(|c| (c, semi)));
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character an entity name (between `&` and `;`) stands for, `None` when it is not one we know.
pub fn resolve(name: &str) -> Option<char> {
    let named = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "mdash" => '—',
        "ndash" => '–',
        "laquo" => '«',
        "raquo" => '»',
        "hellip" => '…',
        "rsquo" => '’',
        "lsquo" => '‘',
        "ldquo" => '“',
        "rdquo" => '”',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse::<u32>().ok()?,
            };
            return char::from_u32(code).filter(|&c| c != '\0');
        }
    };
    Some(named)
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn references_are_decoded_and_the_rest_kept() {
        assert_eq!(
            decode("Tom &amp; Jerry &laquo;Пояс&raquo; &#233;&#x4E00; &lol9; & co"),
            "Tom & Jerry «Пояс» é一 &lol9; & co"
        );
        assert_eq!(decode("no refs"), "no refs");
        assert_eq!(decode("&#0; &#xZZ; &;"), "&#0; &#xZZ; &;");
    }
}
