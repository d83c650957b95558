include!("/tmp/old_h2t.rs");
fn main() {
    let root = std::path::Path::new("/work/shared/corpora/readability-test-pages/pages");
    let mut n = 0;
    for e in std::fs::read_dir(root).unwrap() {
        let d = e.unwrap().path();
        for f in ["source.html", "expected.html"] {
            let Ok(s) = std::fs::read_to_string(d.join(f)) else { continue };
            let mut k = s.len() / 3;
            while !s.is_char_boundary(k) {
                k -= 1;
            }
            for chunk in [s.as_str(), &s[..k], "a &amp; b<br>c\n\n<P>d</p >   e\r\n f<SCRIPT>x</script>g<style>h"] {
                n += 1;
                assert_eq!(old_html_to_text(chunk), mediawatch_core::parse::html_to_text(chunk), "{}", d.display());
            }
        }
    }
    println!("{n} identical");
}
