#!/usr/bin/env node
// Copies the front-end files Withhold serves from node_modules/ into withhold/static/vendor/.
// Run after `npm install` (the Makefile's `assets` target does both). No dependencies beyond Node.
//
//   vendor/uswds/css/uswds.min.css      USWDS keeps its relative layout, so the stylesheet's
//   vendor/uswds/js/uswds*.min.js       url(../img/...) and url(../fonts/...) still resolve.
//   vendor/uswds/img/**
//   vendor/uswds/fonts/**
//   vendor/htmx/htmx.min.js

import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const vendor = join(root, "withhold", "static", "vendor");
const uswds = join(modules, "@uswds", "uswds", "dist");
const htmx = join(modules, "htmx.org", "dist");

// [source, destination, kind]: kind "file" or "dir" (copied recursively).
const copies = [
  [join(uswds, "css", "uswds.min.css"), join(vendor, "uswds", "css", "uswds.min.css"), "file"],
  [join(uswds, "js", "uswds.min.js"), join(vendor, "uswds", "js", "uswds.min.js"), "file"],
  [join(uswds, "js", "uswds-init.min.js"), join(vendor, "uswds", "js", "uswds-init.min.js"), "file"],
  // The source maps the minified files name: collectstatic's manifest storage resolves them.
  [join(uswds, "css", "uswds.min.css.map"), join(vendor, "uswds", "css", "uswds.min.css.map"), "file"],
  [join(uswds, "js", "uswds.min.js.map"), join(vendor, "uswds", "js", "uswds.min.js.map"), "file"],
  [join(uswds, "js", "uswds-init.min.js.map"), join(vendor, "uswds", "js", "uswds-init.min.js.map"), "file"],
  [join(uswds, "img"), join(vendor, "uswds", "img"), "dir"],
  [join(uswds, "fonts"), join(vendor, "uswds", "fonts"), "dir"],
  [join(htmx, "htmx.min.js"), join(vendor, "htmx", "htmx.min.js"), "file"],
];

function fail(message) {
  console.error(`build-assets: ${message}`);
  process.exit(1);
}

function countFiles(path) {
  if (!statSync(path).isDirectory()) return 1;
  return readdirSync(path).reduce((n, name) => n + countFiles(join(path, name)), 0);
}

const missing = copies.filter(([source, , kind]) => {
  if (!existsSync(source)) return true;
  return statSync(source).isDirectory() !== (kind === "dir");
});
if (missing.length) {
  const list = missing.map(([source]) => `  ${relative(root, source)}`).join("\n");
  fail(`missing source file(s):\n${list}\nRun \`npm install\` in ${root} first.`);
}

// Start clean so files dropped by a newer package version do not linger.
rmSync(join(vendor, "uswds"), { recursive: true, force: true });
rmSync(join(vendor, "htmx"), { recursive: true, force: true });

let files = 0;
const copied = [];
for (const [source, destination, kind] of copies) {
  mkdirSync(dirname(destination), { recursive: true });
  cpSync(source, destination, { recursive: kind === "dir" });
  files += countFiles(destination);
  copied.push(relative(vendor, destination) + (kind === "dir" ? "/" : ""));
}

console.log(`build-assets: copied ${files} files to ${relative(root, vendor)}/ (${copied.join(", ")})`);
