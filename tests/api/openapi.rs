//! The contract: `openapi/openapi.json` equals what the server serves.
//! `UPDATE_OPENAPI=1 cargo test --test api openapi` rewrites the file.

use serde_json::Value;

const CONTRACT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");

db_test! {
    async fn served_document_equals_the_checked_in_contract(app) {
        let served = app.get("/openapi.json").send().await.expect(200);
        let pretty = format!("{}\n", serde_json::to_string_pretty(&served.json).unwrap());
        if std::env::var("UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
            std::fs::create_dir_all(std::path::Path::new(CONTRACT).parent().unwrap()).unwrap();
            std::fs::write(CONTRACT, &pretty).unwrap();
        }
        let checked_in = std::fs::read_to_string(CONTRACT)
            .expect("openapi/openapi.json exists; run UPDATE_OPENAPI=1 cargo test --test api openapi");
        let file: Value = serde_json::from_str(&checked_in).expect("valid JSON");
        assert!(
            file == served.json,
            "openapi/openapi.json differs from what the server serves; run UPDATE_OPENAPI=1 cargo test --test api openapi"
        );
    }
}

#[test]
fn every_operation_documents_its_errors_with_examples() {
    let doc = samverkan::app::openapi_document();
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|s| s.starts_with('2')),
                "{method} {path} has a success response"
            );
            assert!(
                responses.contains_key("503"),
                "{method} {path} documents 503"
            );
            if op["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()))
            {
                assert!(
                    responses.contains_key("401"),
                    "{method} {path} documents 401"
                );
            }
            if op.get("requestBody").is_some() {
                for status in ["400", "413", "415", "422"] {
                    assert!(
                        responses.contains_key(status),
                        "{method} {path} documents {status}"
                    );
                }
            }
            assert!(op["summary"].is_string(), "{method} {path} has a summary");
        }
    }
    // The contract promises If-Match and Idempotency-Key only where they are honoured.
    let params = |path: &str, method: &str| doc["paths"][path][method]["parameters"].to_string();
    assert!(params("/api/v1/organizations", "post").contains("IdempotencyKey"));
    assert!(params("/api/v1/organizations/{id}", "patch").contains("IfMatch"));
    assert!(
        params("/api/v1/me/api-tokens", "post").contains("IdempotencyKey"),
        "a token create is replayed, without its secret"
    );
    assert!(!params("/api/v1/me/api-tokens/{id}", "delete").contains("IfMatch"));
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        let has_example = schema.get("example").is_some()
            || schema.get("examples").is_some()
            || schema.get("enum").is_some()
            || schema.get("oneOf").is_some()
            || schema["properties"]
                .as_object()
                .is_some_and(|p| p.values().all(|f| f.get("example").is_some()));
        assert!(has_example, "schema {name} has an example");
    }
}
