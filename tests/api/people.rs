//! People: CRUD, unique emails, and the two-way link with user accounts.

use serde_json::json;

db_test! {
    async fn people_crud_with_unique_emails(app) {
        let org = app.organization("Tjörns kommun", "municipality").await;
        let (_, token) = app.user("helena@tjorn.se", Some(&org)).await;
        let res = app.post("/api/v1/people").token(&token)
            .json(json!({"name": "Juan Navas", "email": "Juan.Navas@Tjorn.se", "title": "Socialchef", "organization_id": org}))
            .send().await.expect(201);
        let id = res.id();
        assert_eq!(res.json["email"], "juan.navas@tjorn.se");
        assert_eq!(res.json["user_id"], json!(null));
        app.post("/api/v1/people").token(&token).json(json!({"name": "Dubblett", "email": "JUAN.NAVAS@tjorn.se"})).send().await.expect(409);
        let bad = app.post("/api/v1/people").token(&token).json(json!({"name": " ", "email": "inte-en-adress"})).send().await.expect(422);
        let mut fields = bad.fields();
        fields.sort();
        assert_eq!(fields, ["email", "name"]);

        let changed = app.patch(&format!("/api/v1/people/{id}")).token(&token).header("If-Match", "\"1\"")
            .json(json!({"title": "Förvaltningschef", "phone": "0304-60 10 00"})).send().await.expect(200);
        assert_eq!(changed.json["title"], "Förvaltningschef");
        let list = app.get("/api/v1/people?q=NAVAS").token(&token).send().await.expect(200);
        assert_eq!(list.json["data"][0]["id"], id.as_str());

        // Someone of another organization may read but not change.
        let (_, stranger) = app.user("anna@malmo.se", None).await;
        app.get(&format!("/api/v1/people/{id}")).token(&stranger).send().await.expect(200);
        app.patch(&format!("/api/v1/people/{id}")).token(&stranger).json(json!({"title": "X"})).send().await.expect(403);
        app.delete(&format!("/api/v1/people/{id}")).token(&stranger).send().await.expect(403);
        app.get("/api/v1/people").send().await.expect(401);

        let since = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true).replace('+', "%2B");
        app.delete(&format!("/api/v1/people/{id}")).token(&token).send().await.expect(204);
        app.get(&format!("/api/v1/people/{id}")).token(&token).send().await.expect(404);
        let sync = app.get(&format!("/api/v1/people?modified_since={since}")).token(&token).send().await.expect(200);
        assert_eq!(sync.json["data"][0], json!({"id": id, "deleted": true, "updated_at": sync.json["data"][0]["updated_at"]}));
        // The email is free again.
        app.post("/api/v1/people").token(&token).json(json!({"name": "Juan Navas", "email": "juan.navas@tjorn.se"})).send().await.expect(201);
    }
}

db_test! {
    async fn a_users_person_is_linked_both_ways(app) {
        let org = app.organization("Ale kommun", "municipality").await;
        // A contact first, then an account with the same email: the account takes the person.
        let person = app.person("Iréne Blomqvist", "irene.blomqvist@ale.se", Some(&org)).await;
        let (user, token) = app.user("irene.blomqvist@ale.se", Some(&org)).await;
        assert_eq!(user["person_id"], person.as_str());
        let got = app.get(&format!("/api/v1/people/{person}")).token(&token).send().await.expect(200);
        assert_eq!(got.json["user_id"], user["id"]);
        // Email and organization follow the account.
        let res = app.patch(&format!("/api/v1/people/{person}")).token(&token).json(json!({"email": "ny@ale.se"})).send().await.expect(422);
        assert_eq!(res.fields(), ["email"]);
        app.patch(&format!("/api/v1/people/{person}")).token(&token).json(json!({"title": "IFO-chef"})).send().await.expect(200);
        app.delete(&format!("/api/v1/people/{person}")).token(&app.admin_token).send().await.expect(409);
        // Changing the account's name moves the person's name too.
        app.patch("/api/v1/me").token(&token).json(json!({"display_name": "Iréne B."})).send().await.expect(200);
        let got = app.get(&format!("/api/v1/people/{person}")).token(&token).send().await.expect(200);
        assert_eq!(got.json["name"], "Iréne B.");
        assert_eq!(got.json["title"], "IFO-chef");
    }
}
