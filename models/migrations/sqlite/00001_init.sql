-- SQLite twin of ../postgres/00001_init.sql: same tables, columns and indexes.
-- +goose Up
CREATE TABLE plans (
    id            integer PRIMARY KEY AUTOINCREMENT,
    title         text        NOT NULL UNIQUE,
    team          text        NOT NULL,
    unit          text        NOT NULL,
    feedback_date date,
    time_zone     text        NOT NULL,
    year          integer      NOT NULL,
    created_at    datetime
);

CREATE TABLE categories (
    id      integer PRIMARY KEY AUTOINCREMENT,
    plan_id integer NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq     integer NOT NULL,
    name    text   NOT NULL
);
CREATE INDEX idx_categories_plan_id ON categories (plan_id);

CREATE TABLE problems (
    id          integer PRIMARY KEY AUTOINCREMENT,
    plan_id     integer NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    category_id integer NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    seq         integer NOT NULL,
    number      text   NOT NULL,
    title       text   NOT NULL
);
CREATE UNIQUE INDEX problems_plan_number ON problems (plan_id, number);
CREATE INDEX idx_problems_category_id ON problems (category_id);

CREATE TABLE departments (
    id   integer PRIMARY KEY AUTOINCREMENT,
    name text NOT NULL UNIQUE
);

CREATE TABLE people (
    id               integer PRIMARY KEY AUTOINCREMENT,
    name             text    NOT NULL UNIQUE,
    department_id    integer  REFERENCES departments (id),
    telegram_user_id integer  UNIQUE,
    lang             text    NOT NULL,
    sees_all         numeric NOT NULL,
    linked_at        datetime,
    unreachable_at   datetime,
    created_at       datetime
);
CREATE INDEX idx_people_department_id ON people (department_id);

CREATE TABLE person_roles (
    person_id integer NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role      text   NOT NULL,
    PRIMARY KEY (person_id, role)
);

CREATE TABLE department_leaders (
    department_id integer NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    person_id     integer NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (department_id, person_id)
);
CREATE INDEX idx_department_leaders_person_id ON department_leaders (person_id);

CREATE TABLE tasks (
    id                integer PRIMARY KEY AUTOINCREMENT,
    plan_id           integer  NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    problem_id        integer  NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    seq               integer  NOT NULL,
    code              text    NOT NULL,
    title             text    NOT NULL,
    detail            text    NOT NULL,
    department_id     integer  NOT NULL REFERENCES departments (id),
    leader_id         integer  NOT NULL REFERENCES people (id),
    officer_id        integer  NOT NULL REFERENCES people (id),
    status            text    NOT NULL,
    deadline          date,
    original_deadline date,
    long_term         numeric NOT NULL,
    recurrence        text    NOT NULL,
    closed_at         datetime,
    created_at        datetime,
    updated_at        datetime
);
CREATE UNIQUE INDEX tasks_plan_code ON tasks (plan_id, code);
CREATE INDEX idx_tasks_problem_id ON tasks (problem_id);
CREATE INDEX idx_tasks_department_id ON tasks (department_id);
CREATE INDEX idx_tasks_leader_id ON tasks (leader_id);
CREATE INDEX idx_tasks_officer_id ON tasks (officer_id);
CREATE INDEX idx_tasks_status ON tasks (status);
CREATE INDEX idx_tasks_deadline ON tasks (deadline);

CREATE TABLE measures (
    id      integer PRIMARY KEY AUTOINCREMENT,
    task_id integer  NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    seq     integer  NOT NULL,
    text    text    NOT NULL,
    done    numeric NOT NULL,
    done_at datetime
);
CREATE INDEX idx_measures_task_id ON measures (task_id);

CREATE TABLE progress_entries (
    id         integer PRIMARY KEY AUTOINCREMENT,
    task_id    integer NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    author_id  integer REFERENCES people (id),
    text       text   NOT NULL,
    source     text   NOT NULL,
    created_at datetime
);
CREATE INDEX idx_progress_entries_task_id ON progress_entries (task_id);

CREATE TABLE attachments (
    id                integer PRIMARY KEY AUTOINCREMENT,
    progress_entry_id integer NOT NULL REFERENCES progress_entries (id) ON DELETE CASCADE,
    kind              text   NOT NULL,
    file_id           text   NOT NULL,
    file_unique_id    text   NOT NULL,
    file_name         text   NOT NULL,
    mime_type         text   NOT NULL,
    size              integer NOT NULL
);
CREATE INDEX idx_attachments_progress_entry_id ON attachments (progress_entry_id);

CREATE TABLE deadline_changes (
    id            integer PRIMARY KEY AUTOINCREMENT,
    task_id       integer NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    old_deadline  date,
    new_deadline  date   NOT NULL,
    reason        text   NOT NULL,
    changed_by_id integer REFERENCES people (id),
    created_at    datetime
);
CREATE INDEX idx_deadline_changes_task_id ON deadline_changes (task_id);

-- Append-only: no foreign keys, so the history outlives what it describes.
CREATE TABLE audit_events (
    id         integer PRIMARY KEY AUTOINCREMENT,
    created_at datetime,
    actor_id   integer,
    actor      text NOT NULL,
    action     text NOT NULL,
    plan_id    integer,
    task_id    integer,
    subject    text NOT NULL,
    before     text NOT NULL,
    after      text NOT NULL
);
CREATE INDEX idx_audit_events_created_at ON audit_events (created_at);
CREATE INDEX idx_audit_events_plan_id ON audit_events (plan_id);
CREATE INDEX idx_audit_events_task_id ON audit_events (task_id);

CREATE TABLE invites (
    id                  integer PRIMARY KEY AUTOINCREMENT,
    code_hash           text   NOT NULL UNIQUE,
    person_id           integer NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role                text   NOT NULL,
    expires_at          datetime,
    used_at             datetime,
    used_by_telegram_id integer,
    created_by          text   NOT NULL,
    created_at          datetime
);
CREATE INDEX idx_invites_person_id ON invites (person_id);

CREATE TABLE groups (
    id                integer PRIMARY KEY AUTOINCREMENT,
    chat_id           integer  NOT NULL UNIQUE,
    title             text    NOT NULL,
    digests           numeric NOT NULL,
    closures          numeric NOT NULL,
    escalations       numeric NOT NULL,
    registered_by_id  integer REFERENCES people (id),
    created_at        datetime,
    updated_at        datetime
);

CREATE TABLE group_departments (
    group_id      integer NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    department_id integer NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, department_id)
);

CREATE TABLE deliveries (
    id              integer PRIMARY KEY AUTOINCREMENT,
    idempotency_key text   NOT NULL UNIQUE,
    chat_id         integer NOT NULL,
    message_id      integer NOT NULL,
    person_id       integer REFERENCES people (id),
    kind            text   NOT NULL,
    sent_at         datetime
);
CREATE INDEX deliveries_chat_message ON deliveries (chat_id, message_id);
CREATE INDEX idx_deliveries_person_id ON deliveries (person_id);

CREATE TABLE delivery_tasks (
    delivery_id integer NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    task_id     integer NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    seq         integer NOT NULL,
    PRIMARY KEY (delivery_id, task_id)
);
CREATE INDEX idx_delivery_tasks_task_id ON delivery_tasks (task_id);

-- +goose Down
DROP TABLE delivery_tasks;
DROP TABLE deliveries;
DROP TABLE group_departments;
DROP TABLE groups;
DROP TABLE invites;
DROP TABLE audit_events;
DROP TABLE deadline_changes;
DROP TABLE attachments;
DROP TABLE progress_entries;
DROP TABLE measures;
DROP TABLE tasks;
DROP TABLE department_leaders;
DROP TABLE person_roles;
DROP TABLE people;
DROP TABLE departments;
DROP TABLE problems;
DROP TABLE categories;
DROP TABLE plans;
