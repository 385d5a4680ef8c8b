// The DistIpam dashboard: reads /ui/api/* (the same data as distipamctl) and renders it. No
// framework and nothing from a CDN: the page works on an air-gapped control plane.
"use strict";

const text = (value) => (value === undefined || value === null || value === "" ? "-" : String(value));
const time = (ms) => (!ms || ms === "0" ? "-" : new Date(Number(ms)).toISOString().replace(".000Z", "Z"));
const count = (value) => (Number(value) < 1e15 ? String(Math.round(Number(value))) : Number(value).toExponential(2));
const ago = (ms) => (!ms || ms === "0" ? "never" : Math.max(0, Math.round((Date.now() - Number(ms)) / 1000)) + "s ago");

function row(tbody, cells) {
  const tr = document.createElement("tr");
  for (const cell of cells) {
    const td = document.createElement("td");
    if (cell instanceof Node) td.appendChild(cell); else td.textContent = text(cell);
    tr.appendChild(td);
  }
  tbody.appendChild(tr);
  return tr;
}

function bar(share) {
  const outer = document.createElement("span");
  outer.className = "bar" + (share >= 0.9 ? " full" : share >= 0.7 ? " warn" : "");
  const inner = document.createElement("span");
  inner.style.width = Math.min(100, share * 100).toFixed(1) + "%";
  outer.appendChild(inner);
  const label = document.createElement("span");
  label.className = "share";
  label.textContent = " " + (share * 100).toFixed(share < 0.01 && share > 0 ? 3 : 1) + "%";
  const both = document.createElement("span");
  both.append(outer, label);
  return both;
}

function duration(seconds) {
  if (seconds < 0) return "never";
  if (seconds > 100 * 365 * 86400) return "> 100 years";
  if (seconds < 3600) return Math.round(seconds / 60) + "m";
  if (seconds < 172800) return (seconds / 3600).toFixed(1) + "h";
  return (seconds / 86400).toFixed(1) + "d";
}

async function json(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(path + ": " + response.status + " " + (await response.text()));
  return response.json();
}

function renderPools(forecast) {
  const tbody = document.querySelector("#pools tbody");
  tbody.replaceChildren();
  for (const p of forecast.pools || []) {
    const usable = Number(p.size) - Number(p.reserved);
    const share = usable > 0 ? (Number(p.inUse) + Number(p.cooldown)) / usable : 0;
    const tr = row(tbody, [p.pool, bar(share), p.inUse, p.cooldown, p.stranded, count(p.allocatable), duration(Number(p.secondsToFull))]);
    tr.dataset.pool = p.pool;
  }
}

function renderBlocks(blocks, nodes) {
  const host = document.getElementById("blocks");
  host.replaceChildren();
  const colors = new Map(nodes.map((n, i) => [n.name, "hsl(" + ((i * 67) % 360) + " 55% 42%)"]));
  const byPool = new Map();
  for (const b of blocks.blocks || []) {
    if (!byPool.has(b.pool)) byPool.set(b.pool, []);
    byPool.get(b.pool).push(b);
  }
  for (const [pool, list] of byPool) {
    const title = document.createElement("div");
    title.textContent = pool;
    const grid = document.createElement("div");
    grid.className = "pool-blocks";
    for (const b of list) {
      const cell = document.createElement("div");
      cell.className = "block";
      cell.dataset.block = b.cidr;
      cell.style.background = colors.get(b.node) || "#6b7280";
      cell.textContent = b.cidr + " " + b.node + " " + b.used + "/" + b.capacity;
      cell.title = b.claim;
      grid.appendChild(cell);
    }
    host.append(title, grid);
  }
}

function renderNodes(nodes) {
  const tbody = document.querySelector("#nodes tbody");
  tbody.replaceChildren();
  for (const n of nodes) {
    const state = (n.leaseState || "LEASE_STATE_UNKNOWN").replace("LEASE_STATE_", "").toLowerCase();
    const lease = document.createElement("span");
    lease.className = "lease-" + state;
    lease.textContent = state;
    row(tbody, [n.name, lease, ago(n.lastSeenUnixMs), n.blocks, n.allocations]).dataset.node = n.name;
  }
}

function renderEvents(events) {
  const tbody = document.querySelector("#events tbody");
  tbody.replaceChildren();
  for (const e of (events.events || []).slice().reverse()) {
    row(tbody, [time(e.atUnixMs), e.kind, e.address, e.handle, e.node, e.actor, e.reason]);
  }
}

async function search(ip) {
  const section = document.getElementById("result");
  section.hidden = false;
  document.getElementById("result-ip").textContent = ip;
  const now = document.getElementById("result-now");
  const tbody = document.querySelector("#result-history tbody");
  tbody.replaceChildren();
  try {
    const found = await json("/ui/api/ip/" + encodeURIComponent(ip));
    const a = found.address;
    now.textContent = a.allocated
      ? "held by " + a.handle + " (pod " + text(a.pod && a.pod.namespace) + "/" + text(a.pod && a.pod.name) + ", node " + a.node + ") since " + time(a.sinceUnixMs) + ", sequence " + a.sequence + "; pool " + a.pool + ", block " + a.block
      : "free; pool " + a.pool + ", block " + a.block;
    for (const e of found.history.events || []) {
      row(tbody, [time(e.atUnixMs), e.kind, e.sequence, e.handle, e.node, e.pod ? e.pod.namespace + "/" + e.pod.name : "", e.actor, e.reason]);
    }
  } catch (error) {
    now.textContent = String(error.message);
  }
}

async function refresh() {
  const [info, forecast, nodes, blocks, events] = await Promise.all([
    json("/ui/api/version"), json("/ui/api/forecast"), json("/ui/api/nodes"), json("/ui/api/blocks"), json("/ui/api/events"),
  ]);
  document.getElementById("version").textContent = "server " + info.version + " (" + info.mode + ", " + info.silos + " silo(s))";
  renderPools(forecast);
  renderNodes(nodes.nodes || []);
  renderBlocks(blocks, nodes.nodes || []);
  renderEvents(events);
  document.body.dataset.loaded = "true";
}

document.getElementById("search").addEventListener("submit", (event) => {
  event.preventDefault();
  const ip = document.getElementById("ip").value.trim();
  if (ip) { location.hash = "ip=" + ip; search(ip); }
});

const wanted = new URLSearchParams(location.hash.slice(1)).get("ip");
refresh().then(() => (wanted ? search(wanted) : null)).catch((error) => {
  document.body.dataset.loaded = "error";
  document.getElementById("version").textContent = String(error.message);
});
setInterval(() => refresh().catch(() => {}), 10000);
