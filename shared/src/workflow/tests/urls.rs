//! Which URLs HTTP steps may call.

use super::*;

#[test]
fn production_allows_public_https_only() {
    let table = [
        ("https://api.example.com/v1/lookup?x=1", true),
        ("HTTPS://API.EXAMPLE.COM", true),
        ("https://api.example.com:8443/", true),
        ("https://8.8.8.8/", true),
        ("https://[2606:4700::1111]/", true),
        ("https://example.com.", true),
        ("http://api.example.com/", false),
        ("ftp://example.com/", false),
        ("example.com", false),
        ("https://", false),
        ("https://user:pw@example.com/", false),
        ("https://example.com@127.0.0.1/", false),
        ("https://localhost/", false),
        ("https://LOCALHOST./", false),
        ("https://api.localhost/", false),
        ("https://printer.local/", false),
        ("https://db.internal/", false),
        ("https://router.home.arpa/", false),
        ("https://127.0.0.1/", false),
        ("https://127.1/", false),
        ("https://2130706433/", false),
        ("https://0x7f.1/", false),
        ("https://0177.0.0.1/", false),
        ("https://0/", false),
        ("https://10.1.2.3/", false),
        ("https://100.64.0.1/", false),
        ("https://169.254.169.254/latest/meta-data", false),
        ("https://172.16.0.1/", false),
        ("https://172.32.0.1/", true),
        ("https://192.168.1.1/", false),
        ("https://224.0.0.1/", false),
        ("https://255.255.255.255/", false),
        ("https://1.2.3.4.5/", false),
        ("https://999.1.1.1/", false),
        ("https://[::1]/", false),
        ("https://[::]/", false),
        ("https://[::ffff:127.0.0.1]/", false),
        ("https://[::ffff:8.8.8.8]/", true),
        ("https://[64:ff9b::a00:1]/", false),
        ("https://[fd00::1]/", false),
        ("https://[fe80::1]/", false),
        ("https://[ff02::1]/", false),
        ("https://[2001:db8::1]/", false),
        ("https://[::1/", false),
        ("https://example.com:0/", false),
        ("https://example.com:99999/", false),
        ("https://example.com:/", false),
        ("https://exa mple.com/", false),
        ("https://ex%41mple.com/", false),
        ("https://exämple.com/", false),
        ("https://127.0.0.1\\@example.com/", false),
    ];
    for (url, ok) in table {
        assert_eq!(check_url(url, false).is_ok(), ok, "{url}");
    }
}

#[test]
fn local_dev_allows_http_and_private_hosts() {
    for url in [
        "http://127.0.0.1:8787/hook",
        "http://localhost:3000/",
        "https://[::1]/",
        "http://192.168.1.10/",
    ] {
        assert!(check_url(url, true).is_ok(), "{url}");
    }
    // Still a URL.
    assert!(check_url("ftp://localhost/", true).is_err());
    assert!(check_url("http://user@localhost/", true).is_err());
}
