//! The committed OpenAPI document must be what the code generates.

#[test]
fn committed_openapi_document_matches_the_code() {
    let generated = portal_server::openapi::document_json();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        generated == committed,
        "openapi/openapi.json is out of date: run `cargo run -p portal-server -- --write-openapi openapi/openapi.json`"
    );
}

#[test]
fn every_operation_has_an_id_a_summary_and_its_error_responses() {
    let document: serde_json::Value =
        serde_json::from_str(&portal_server::openapi::document_json()).unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            assert!(
                operation["operationId"].is_string(),
                "{method} {path} has no operationId"
            );
            assert!(
                operation["summary"].is_string(),
                "{method} {path} has no summary"
            );
            let mut expected = Vec::new();
            if path.starts_with("/api/v1/services") || path == "/api/v1/me" {
                expected.push("401");
            }
            if path.contains("{service_id}") {
                expected.push("404");
            }
            for status in expected {
                assert!(
                    operation["responses"][status].is_object(),
                    "{method} {path} lacks {status}"
                );
            }
        }
    }
}
