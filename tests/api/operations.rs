//! Errors actix would answer by itself, health checks, headers, CORS and docs.

use crate::common;

use serde_json::json;

db_test! {
    async fn every_error_is_problem_json(app) {
        let t = &app.admin_token;
        // 400: malformed JSON.
        let res = app.post("/api/v1/organizations").token(t).raw("application/json", "{\"name\": ").send().await.expect(400);
        assert!(res.json["detail"].as_str().unwrap().contains("not valid JSON"));
        app.post("/api/v1/organizations").token(t).raw("application/json", "").send().await.expect(400);
        app.post("/api/v1/organizations").token(t).raw("application/json", "{} trailing").send().await.expect(400);
        // 404: unknown route.
        app.get("/api/v1/nothing-here").send().await.expect(404);
        app.get("/").send().await.expect(404);
        // 405 with Allow.
        let res = app.put("/api/v1/organizations").token(t).json(json!({})).send().await.expect(405);
        assert_eq!(res.header("allow"), Some("GET, POST"));
        let res = app.post("/api/v1/organizations/019a84f4-7b63-7ab2-bdf0-2e06c5de92d1").token(t).json(json!({})).send().await.expect(405);
        assert_eq!(res.header("allow"), Some("DELETE, GET, PATCH"));
        // 415: not JSON.
        app.post("/api/v1/organizations").token(t).raw("text/plain", "name=x").send().await.expect(415);
        app.post("/api/v1/organizations").token(t).raw("application/x-www-form-urlencoded", "name=x").send().await.expect(415);
        // 413: over 1 MiB.
        let big = format!("{{\"name\": \"{}\", \"kind\": \"other\"}}", "a".repeat(1024 * 1024 + 10));
        app.post("/api/v1/organizations").token(t).raw("application/json", big).send().await.expect(413);
        // 422 naming the parameter: a query parameter of the wrong type.
        let res = app.get("/api/v1/organizations?limit=many").token(t).send().await.expect(422);
        assert_eq!(res.fields(), ["limit"]);
        let res = app.get("/api/v1/audit-events?since=ig%C3%A5r").token(t).send().await.expect(422);
        assert_eq!(res.fields(), ["since"]);
        // 422 for what serde would let through: a key given twice (it kept the last) and
        // an array where an object is expected (it read the fields by position).
        let res = app.post("/api/v1/organizations").token(t).raw("application/json", r#"{"name": "Ale kommun", "kind": "municipality", "name": "Alingsås kommun"}"#).send().await.expect(422);
        assert_eq!(res.fields(), ["name"]);
        let res = app.post("/api/v1/organizations").token(t).raw("application/json", r#"{"name": "Ale kommun", "kind": "municipality", "address": {"city": "Nödinge", "city": "Alafors"}}"#).send().await.expect(422);
        assert_eq!(res.fields(), ["address.city"]);
        let res = app.post("/api/v1/organizations").token(t).raw("application/json", r#"["Ale kommun", "municipality"]"#).send().await.expect(422);
        assert_eq!(res.fields(), ["body"]);
        // Nothing was created by any of it.
        let list = app.get("/api/v1/organizations").token(t).send().await.expect(200);
        assert_eq!(list.json["data"], json!([]));
        // A PATCH given as an array changes nothing; a list endpoint still takes its array.
        let org = app.organization("Ale kommun", "municipality").await;
        let res = app.patch(&format!("/api/v1/organizations/{org}")).token(t).raw("application/json", r#"["Alingsås kommun"]"#).send().await.expect(422);
        assert_eq!(res.fields(), ["body"]);
        let got = app.get(&format!("/api/v1/organizations/{org}")).token(t).send().await.expect(200);
        assert_eq!(got.json["name"], "Ale kommun");
    }
}

db_test! {
    async fn health_checks_answer(app) {
        let live = app.get("/health/live").send().await.expect(200);
        assert_eq!(live.json["status"], "ok");
        let ready = app.get("/health/ready").send().await.expect(200);
        let expected = match app.backend {
            common::Backend::Sqlite => "sqlite",
            common::Backend::Postgres => "postgresql",
        };
        assert_eq!(ready.json["database"], expected);
    }
}

db_test! {
    async fn request_ids_and_security_headers(app) {
        let res = app.get("/health/live").send().await.expect(200);
        let generated = res.header("x-request-id").unwrap();
        assert!(uuid::Uuid::parse_str(generated).is_ok());
        assert_eq!(res.header("x-content-type-options"), Some("nosniff"));
        let res = app.get("/health/live").header("X-Request-Id", "lb-trace-42").send().await.expect(200);
        assert_eq!(res.header("x-request-id"), Some("lb-trace-42"));
        let res = app.get("/health/live").header("X-Request-Id", "bad id with spaces").send().await.expect(200);
        assert_ne!(res.header("x-request-id"), Some("bad id with spaces"));
        let res = app.get("/api/v1/me").token(&app.admin_token).send().await.expect(200);
        assert_eq!(res.header("cache-control"), Some("no-store"));
        assert_eq!(res.header("x-content-type-options"), Some("nosniff"));
        // The request id reaches the audit trail.
        let created = app.post("/api/v1/organizations").token(&app.admin_token).header("X-Request-Id", "trace-create-1")
            .json(json!({"name": "Tjörns kommun", "kind": "municipality"})).send().await.expect(201);
        let events = app.get(&format!("/api/v1/audit-events?resource_id={}", created.id())).token(&app.admin_token).send().await.expect(200);
        assert_eq!(events.json["data"][0]["request_id"], "trace-create-1");
    }
}

db_test! {
    async fn cors_only_for_configured_origins(app) {
        let ok = app.req(actix_web::http::Method::OPTIONS, "/api/v1/organizations")
            .header("Origin", "https://app.samverkan.test")
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "authorization, content-type")
            .send().await;
        assert!(ok.status < 300, "preflight {}", ok.status);
        assert_eq!(ok.header("access-control-allow-origin"), Some("https://app.samverkan.test"));
        let simple = app.get("/health/live").header("Origin", "https://app.samverkan.test").send().await.expect(200);
        assert_eq!(simple.header("access-control-allow-origin"), Some("https://app.samverkan.test"));
        let other = app.get("/health/live").header("Origin", "https://evil.example").send().await;
        assert_eq!(other.header("access-control-allow-origin"), None);
    }
}

db_test! {
    async fn docs_are_served_offline(app) {
        let res = app.get("/docs/").send().await.expect(200);
        assert!(res.text.contains("swagger"), "Swagger UI page");
        let res = app.get("/docs/swagger-ui.css").send().await.expect(200);
        assert!(!res.text.is_empty());
        // /docs redirects to /docs/ (the client follows it).
        let res = app.get("/docs").send().await.expect(200);
        assert!(res.text.contains("swagger"));
    }
}
