//! The CI workflows `chorus init --ci github|gitlab` writes: `chorus check` on every pull
//! (merge) request, with problems shown on their lines, and on the main branch a build
//! published to GitHub Pages or GitLab Pages.
//!
//! Owns the workflows' text and the one install line (`INSTALL`), pinned to this version of
//! Chorus, which the hub's README repeats. A workflow caches only the installed program
//! (keyed by its version), never the built site or anything from the hub.

/// How a hub's CI, and its people, install this version of Chorus (the package is
/// `chorus-hub`: `chorus` on crates.io is an unrelated library; the program is `chorus`).
pub const INSTALL: &str = concat!("cargo install chorus-hub --locked --version ", env!("CARGO_PKG_VERSION"));

/// Where the hub is hosted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ci {
    GitHub,
    GitLab,
}

impl Ci {
    /// The workflow's file, relative to the hub.
    pub fn file(self) -> &'static str {
        match self {
            Ci::GitHub => ".github/workflows/chorus.yml",
            Ci::GitLab => ".gitlab-ci.yml",
        }
    }

    /// The workflow's text.
    pub fn workflow(self) -> String {
        let template = match self {
            Ci::GitHub => GITHUB,
            Ci::GitLab => GITLAB,
        };
        template.replace("{version}", env!("CARGO_PKG_VERSION"))
    }
}

const GITHUB: &str = r#"# Checks every pull request, showing problems on the lines they are about, and publishes
# the hub to GitHub Pages from the main branch (Settings → Pages → Source: GitHub Actions).
# Written by `chorus init --ci github`.
name: chorus

on:
  pull_request:
  push:
    branches: [main]
  # Once a day, so that scheduled posts appear and expired ones leave.
  schedule:
    - cron: "17 5 * * *"
  workflow_dispatch:

permissions:
  contents: read

env:
  # The version of Chorus this hub is checked and built with. Change it on purpose.
  CHORUS_VERSION: "{version}"

jobs:
  check:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      # Only the installed program is cached, by version: never the site or the content.
      - uses: actions/cache@v4
        with:
          path: |
            ~/.cargo/bin/chorus
            ~/.cargo/.crates.toml
            ~/.cargo/.crates2.json
          key: chorus-hub-${{ env.CHORUS_VERSION }}-${{ runner.os }}
      - run: cargo install chorus-hub --locked --version "$CHORUS_VERSION"
      - run: chorus check --format github

  build:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/cache@v4
        with:
          path: |
            ~/.cargo/bin/chorus
            ~/.cargo/.crates.toml
            ~/.cargo/.crates2.json
          key: chorus-hub-${{ env.CHORUS_VERSION }}-${{ runner.os }}
      - run: cargo install chorus-hub --locked --version "$CHORUS_VERSION"
      - run: chorus check --format github
      - run: chorus build
      - uses: actions/upload-pages-artifact@v3
        with:
          path: public

  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    # One deployment at a time; a newer one waits rather than cancelling a running one.
    concurrency:
      group: pages
      cancel-in-progress: false
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"#;

const GITLAB: &str = r#"# Checks every merge request and publishes the hub to GitLab Pages from the default branch.
# Written by `chorus init --ci gitlab`.
image: rust:1

variables:
  # The version of Chorus this hub is checked and built with. Change it on purpose.
  CHORUS_VERSION: "{version}"
  CARGO_HOME: "$CI_PROJECT_DIR/.cargo-home"

# Only the installed program is cached, by version: never the site or the content.
cache:
  key: "chorus-hub-$CHORUS_VERSION"
  paths:
    - .cargo-home/bin/chorus
    - .cargo-home/.crates.toml
    - .cargo-home/.crates2.json

before_script:
  - cargo install chorus-hub --locked --version "$CHORUS_VERSION"
  - export PATH="$CARGO_HOME/bin:$PATH"

stages:
  - check
  - deploy

check:
  stage: check
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  script:
    - chorus check

pages:
  stage: deploy
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
    # Once a day (CI/CD → Schedules), so that scheduled posts appear and expired ones leave.
    - if: $CI_PIPELINE_SOURCE == "schedule"
  script:
    - chorus check
    - chorus build
  artifacts:
    paths:
      - public
"#;
