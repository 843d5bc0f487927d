-- +goose Up
CREATE TABLE plans (
    id            bigserial PRIMARY KEY,
    title         text        NOT NULL UNIQUE,
    team          text        NOT NULL,
    unit          text        NOT NULL,
    feedback_date date,
    time_zone     text        NOT NULL,
    year          bigint      NOT NULL,
    created_at    timestamptz
);

CREATE TABLE categories (
    id      bigserial PRIMARY KEY,
    plan_id bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq     bigint NOT NULL,
    name    text   NOT NULL
);
CREATE INDEX idx_categories_plan_id ON categories (plan_id);

CREATE TABLE problems (
    id          bigserial PRIMARY KEY,
    plan_id     bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    category_id bigint NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    seq         bigint NOT NULL,
    number      text   NOT NULL,
    title       text   NOT NULL
);
CREATE UNIQUE INDEX problems_plan_number ON problems (plan_id, number);
CREATE INDEX idx_problems_category_id ON problems (category_id);

CREATE TABLE departments (
    id   bigserial PRIMARY KEY,
    name text NOT NULL UNIQUE
);

CREATE TABLE people (
    id               bigserial PRIMARY KEY,
    name             text    NOT NULL UNIQUE,
    department_id    bigint  REFERENCES departments (id),
    telegram_user_id bigint  UNIQUE,
    lang             text    NOT NULL,
    sees_all         boolean NOT NULL,
    linked_at        timestamptz,
    unreachable_at   timestamptz,
    created_at       timestamptz
);
CREATE INDEX idx_people_department_id ON people (department_id);

CREATE TABLE person_roles (
    person_id bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role      text   NOT NULL,
    PRIMARY KEY (person_id, role)
);

CREATE TABLE department_leaders (
    department_id bigint NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    person_id     bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (department_id, person_id)
);
CREATE INDEX idx_department_leaders_person_id ON department_leaders (person_id);

CREATE TABLE tasks (
    id                bigserial PRIMARY KEY,
    plan_id           bigint  NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    problem_id        bigint  NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    seq               bigint  NOT NULL,
    code              text    NOT NULL,
    title             text    NOT NULL,
    detail            text    NOT NULL,
    department_id     bigint  NOT NULL REFERENCES departments (id),
    leader_id         bigint  NOT NULL REFERENCES people (id),
    officer_id        bigint  NOT NULL REFERENCES people (id),
    status            text    NOT NULL,
    deadline          date,
    original_deadline date,
    long_term         boolean NOT NULL,
    recurrence        text    NOT NULL,
    closed_at         timestamptz,
    created_at        timestamptz,
    updated_at        timestamptz
);
CREATE UNIQUE INDEX tasks_plan_code ON tasks (plan_id, code);
CREATE INDEX idx_tasks_problem_id ON tasks (problem_id);
CREATE INDEX idx_tasks_department_id ON tasks (department_id);
CREATE INDEX idx_tasks_leader_id ON tasks (leader_id);
CREATE INDEX idx_tasks_officer_id ON tasks (officer_id);
CREATE INDEX idx_tasks_status ON tasks (status);
CREATE INDEX idx_tasks_deadline ON tasks (deadline);

CREATE TABLE measures (
    id      bigserial PRIMARY KEY,
    task_id bigint  NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    seq     bigint  NOT NULL,
    text    text    NOT NULL,
    done    boolean NOT NULL,
    done_at timestamptz
);
CREATE INDEX idx_measures_task_id ON measures (task_id);

CREATE TABLE progress_entries (
    id         bigserial PRIMARY KEY,
    task_id    bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    author_id  bigint REFERENCES people (id),
    text       text   NOT NULL,
    source     text   NOT NULL,
    created_at timestamptz
);
CREATE INDEX idx_progress_entries_task_id ON progress_entries (task_id);

CREATE TABLE attachments (
    id                bigserial PRIMARY KEY,
    progress_entry_id bigint NOT NULL REFERENCES progress_entries (id) ON DELETE CASCADE,
    kind              text   NOT NULL,
    file_id           text   NOT NULL,
    file_unique_id    text   NOT NULL,
    file_name         text   NOT NULL,
    mime_type         text   NOT NULL,
    size              bigint NOT NULL
);
CREATE INDEX idx_attachments_progress_entry_id ON attachments (progress_entry_id);

CREATE TABLE deadline_changes (
    id            bigserial PRIMARY KEY,
    task_id       bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    old_deadline  date,
    new_deadline  date   NOT NULL,
    reason        text   NOT NULL,
    changed_by_id bigint REFERENCES people (id),
    created_at    timestamptz
);
CREATE INDEX idx_deadline_changes_task_id ON deadline_changes (task_id);

-- Append-only: no foreign keys, so the history outlives what it describes.
CREATE TABLE audit_events (
    id         bigserial PRIMARY KEY,
    created_at timestamptz,
    actor_id   bigint,
    actor      text NOT NULL,
    action     text NOT NULL,
    plan_id    bigint,
    task_id    bigint,
    subject    text NOT NULL,
    before     text NOT NULL,
    after      text NOT NULL
);
CREATE INDEX idx_audit_events_created_at ON audit_events (created_at);
CREATE INDEX idx_audit_events_plan_id ON audit_events (plan_id);
CREATE INDEX idx_audit_events_task_id ON audit_events (task_id);

CREATE TABLE invites (
    id                  bigserial PRIMARY KEY,
    code_hash           text   NOT NULL UNIQUE,
    person_id           bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role                text   NOT NULL,
    expires_at          timestamptz,
    used_at             timestamptz,
    used_by_telegram_id bigint,
    created_by          text   NOT NULL,
    created_at          timestamptz
);
CREATE INDEX idx_invites_person_id ON invites (person_id);

CREATE TABLE groups (
    id                bigserial PRIMARY KEY,
    chat_id           bigint  NOT NULL UNIQUE,
    title             text    NOT NULL,
    digests           boolean NOT NULL,
    closures          boolean NOT NULL,
    escalations       boolean NOT NULL,
    registered_by_id  bigint REFERENCES people (id),
    created_at        timestamptz,
    updated_at        timestamptz
);

CREATE TABLE group_departments (
    group_id      bigint NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    department_id bigint NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, department_id)
);

CREATE TABLE deliveries (
    id              bigserial PRIMARY KEY,
    idempotency_key text   NOT NULL UNIQUE,
    chat_id         bigint NOT NULL,
    message_id      bigint NOT NULL,
    person_id       bigint REFERENCES people (id),
    kind            text   NOT NULL,
    sent_at         timestamptz
);
CREATE INDEX deliveries_chat_message ON deliveries (chat_id, message_id);
CREATE INDEX idx_deliveries_person_id ON deliveries (person_id);

CREATE TABLE delivery_tasks (
    delivery_id bigint NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    task_id     bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    seq         bigint NOT NULL,
    PRIMARY KEY (delivery_id, task_id)
);
CREATE INDEX idx_delivery_tasks_task_id ON delivery_tasks (task_id);

-- +goose Down
DROP TABLE delivery_tasks, deliveries, group_departments, groups, invites,
    audit_events, deadline_changes, attachments, progress_entries, measures,
    tasks, department_leaders, person_roles, people, departments, problems,
    categories, plans;
