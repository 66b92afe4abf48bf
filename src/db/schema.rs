//! The tables, written to suit both backends: UUIDs as text, UTC timestamps.

diesel::table! {
    organizations (id) {
        id -> Text,
        name -> Text,
        short_name -> Nullable<Text>,
        kind -> Text,
        parent_id -> Nullable<Text>,
        organization_number -> Nullable<Text>,
        municipality_code -> Nullable<Text>,
        website -> Nullable<Text>,
        email -> Nullable<Text>,
        search_text -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    people (id) {
        id -> Text,
        name -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        title -> Nullable<Text>,
        organization_id -> Nullable<Text>,
        user_id -> Nullable<Text>,
        search_text -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        display_name -> Text,
        role -> Text,
        organization_id -> Nullable<Text>,
        person_id -> Text,
        password_hash -> Text,
        active -> Bool,
        last_login_at -> Nullable<Timestamp>,
        search_text -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        session_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        rotated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        token_hash -> Text,
        token_prefix -> Text,
        scopes -> Text,
        expires_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> Text,
        email -> Text,
        client_addr -> Text,
        succeeded -> Bool,
        at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (user_id, idempotency_key) {
        user_id -> Text,
        idempotency_key -> Text,
        fingerprint -> Text,
        status -> Integer,
        body -> Text,
        location -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        at -> Timestamp,
        actor_user_id -> Nullable<Text>,
        action -> Text,
        resource_type -> Text,
        resource_id -> Nullable<Text>,
        request_id -> Nullable<Text>,
        outcome -> Text,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    networks (id) {
        id -> Text,
        name -> Text,
        description -> Nullable<Text>,
        owner_organization_id -> Text,
        status -> Text,
        focus_areas -> Text,
        cadence -> Nullable<Text>,
        visibility -> Text,
        contact_person_id -> Nullable<Text>,
        started_on -> Nullable<Date>,
        ended_on -> Nullable<Date>,
        search_text -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    network_members (id) {
        id -> Text,
        network_id -> Text,
        organization_id -> Text,
        joined_on -> Nullable<Date>,
        left_on -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    network_participants (id) {
        id -> Text,
        network_id -> Text,
        person_id -> Text,
        role -> Text,
        on_behalf_of_organization_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    meeting_series (id) {
        id -> Text,
        network_id -> Text,
        title -> Text,
        frequency -> Text,
        weekday -> Text,
        start_time -> Text,
        duration_minutes -> Integer,
        time_zone -> Text,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        status -> Text,
        status_reason -> Nullable<Text>,
        kind -> Text,
        mode -> Text,
        location -> Nullable<Text>,
        online_url -> Nullable<Text>,
        visibility -> Text,
        search_text -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        time_unspecified -> Bool,
        skip_holidays -> Bool,
    }
}

diesel::table! {
    meetings (id) {
        id -> Text,
        network_id -> Nullable<Text>,
        series_id -> Nullable<Text>,
        organizer_organization_id -> Nullable<Text>,
        title -> Text,
        kind -> Text,
        description -> Nullable<Text>,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        time_zone -> Text,
        mode -> Text,
        location -> Nullable<Text>,
        online_url -> Nullable<Text>,
        status -> Text,
        visibility -> Text,
        search_text -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        time_unspecified -> Bool,
        generated_by_series -> Bool,
        search_terms -> Text,
        co_host_network_ids -> Text,
    }
}

diesel::table! {
    meeting_co_hosts (meeting_id, network_id) {
        meeting_id -> Text,
        network_id -> Text,
    }
}

diesel::table! {
    agenda_items (id) {
        id -> Text,
        meeting_id -> Text,
        position -> Integer,
        title -> Text,
        description -> Nullable<Text>,
        presenter_person_id -> Nullable<Text>,
        duration_minutes -> Nullable<Integer>,
        theme_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    attendees (id) {
        id -> Text,
        meeting_id -> Text,
        person_id -> Text,
        organization_id -> Nullable<Text>,
        role -> Text,
        attendance -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    minutes (id) {
        id -> Text,
        meeting_id -> Text,
        status -> Text,
        recorded_by -> Text,
        approvers -> Text,
        approval_due_on -> Date,
        sections -> Text,
        visibility -> Text,
        submitted_at -> Nullable<Timestamp>,
        approved_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        document_type -> Text,
        search_terms -> Text,
    }
}

diesel::table! {
    minutes_approvals (minutes_id, person_id) {
        minutes_id -> Text,
        person_id -> Text,
        approved_at -> Timestamp,
        recorded_at -> Nullable<Timestamp>,
        recorded_by -> Nullable<Text>,
    }
}

diesel::table! {
    minutes_amendments (id) {
        id -> Text,
        minutes_id -> Text,
        reason -> Text,
        changed_by -> Text,
        changed_at -> Timestamp,
        version -> Integer,
        changes -> Text,
    }
}

diesel::table! {
    minutes_revisions (minutes_id, version) {
        minutes_id -> Text,
        version -> Integer,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    action_items (id) {
        id -> Text,
        meeting_id -> Text,
        network_id -> Nullable<Text>,
        section_index -> Integer,
        position -> Integer,
        title -> Text,
        description -> Nullable<Text>,
        owner_person_id -> Nullable<Text>,
        owner_organization_id -> Nullable<Text>,
        due_on -> Nullable<Date>,
        status -> Text,
        completed_at -> Nullable<Timestamp>,
        search_text -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        completion_recorded_at -> Nullable<Timestamp>,
        search_terms -> Text,
        addressed_to_members -> Bool,
        addressee_organization_ids -> Text,
    }
}

diesel::table! {
    action_item_replies (action_item_id, organization_id) {
        action_item_id -> Text,
        organization_id -> Text,
        status -> Text,
        answer -> Nullable<Text>,
        answered_at -> Nullable<Timestamp>,
        answered_by_person_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    themes (id) {
        id -> Text,
        title -> Text,
        description -> Nullable<Text>,
        network_id -> Text,
        proposed_by_organization_id -> Nullable<Text>,
        proposed_by_person_id -> Nullable<Text>,
        status -> Text,
        status_reason -> Nullable<Text>,
        target_period -> Nullable<Text>,
        meeting_id -> Nullable<Text>,
        agenda_item_id -> Nullable<Text>,
        tags -> Text,
        visibility -> Text,
        support_count -> Integer,
        search_text -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        search_terms -> Text,
        proposed_by_network_id -> Nullable<Text>,
    }
}

diesel::table! {
    theme_supporters (theme_id, organization_id) {
        theme_id -> Text,
        organization_id -> Text,
        person_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    supervisory_dialogues (id) {
        id -> Text,
        title -> Text,
        supervising_organization_id -> Text,
        supervision_name -> Text,
        period_start -> Nullable<Date>,
        period_end -> Nullable<Date>,
        held_on -> Nullable<Date>,
        mode -> Nullable<Text>,
        focus_questions -> Text,
        lessons_learned -> Text,
        recommendations -> Text,
        status -> Text,
        visibility -> Text,
        published_at -> Nullable<Timestamp>,
        search_text -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        publication_recorded_at -> Nullable<Timestamp>,
        search_terms -> Text,
    }
}

diesel::table! {
    dialogue_participants (dialogue_id, organization_id) {
        dialogue_id -> Text,
        organization_id -> Text,
    }
}

diesel::table! {
    dialogue_findings (id) {
        id -> Text,
        dialogue_id -> Text,
        category -> Nullable<Text>,
        text -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    dialogue_follow_ups (id) {
        id -> Text,
        dialogue_id -> Text,
        description -> Text,
        responsible_organization_id -> Nullable<Text>,
        due_on -> Nullable<Date>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    dialogue_lessons (dialogue_id, kind, position) {
        dialogue_id -> Text,
        kind -> Text,
        position -> Integer,
        text -> Text,
        search_text -> Text,
    }
}

diesel::table! {
    series_timeline (series_id, position) {
        series_id -> Text,
        position -> Integer,
        on_date -> Date,
        kind -> Text,
        frequency -> Nullable<Text>,
        reason -> Nullable<Text>,
        note -> Nullable<Text>,
        approximate -> Bool,
        recorded_at -> Timestamp,
        recorded_by -> Nullable<Text>,
    }
}

diesel::table! {
    imports (id) {
        id -> Text,
        at -> Timestamp,
        actor_user_id -> Nullable<Text>,
        source -> Text,
        created -> Integer,
        updated -> Integer,
        unchanged -> Integer,
    }
}

diesel::table! {
    import_keys (kind, bundle_key) {
        kind -> Text,
        bundle_key -> Text,
        resource_id -> Text,
        fingerprint -> Text,
        import_id -> Text,
    }
}

diesel::joinable!(users -> people (person_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(network_members -> networks (network_id));
diesel::joinable!(network_participants -> networks (network_id));
diesel::joinable!(meetings -> networks (network_id));
diesel::joinable!(agenda_items -> meetings (meeting_id));
diesel::joinable!(attendees -> meetings (meeting_id));
diesel::joinable!(attendees -> people (person_id));
diesel::joinable!(dialogue_lessons -> supervisory_dialogues (dialogue_id));

diesel::allow_tables_to_appear_in_same_query!(
    organizations,
    people,
    users,
    sessions,
    refresh_tokens,
    api_tokens,
    login_attempts,
    idempotency_keys,
    audit_events,
    networks,
    network_members,
    network_participants,
    meeting_series,
    meetings,
    meeting_co_hosts,
    agenda_items,
    attendees,
    minutes,
    minutes_approvals,
    minutes_amendments,
    minutes_revisions,
    action_items,
    action_item_replies,
    themes,
    theme_supporters,
    supervisory_dialogues,
    dialogue_participants,
    dialogue_findings,
    dialogue_follow_ups,
    dialogue_lessons,
    series_timeline,
    imports,
    import_keys,
);
