// The search page: looks words up in the Pagefind index that generator/search.py
// builds into pagefind/, and lists the matching pages. Nothing else on the site
// needs JavaScript; without it this page's form just reloads with ?q=.

const form = document.querySelector(".search-form");
const input = form.querySelector("input[name=q]");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const PAGE_SIZE = 10;

let index = null; // the pagefind module, once loaded
let latest = 0; // the newest search; older ones that finish late are dropped
let results = [];
let shown = 0;
let typing = 0;

function loadIndex() {
  // Pagefind finds its own files, and the site root, from where pagefind.js is.
  // A big site's index comes in shards: the first is loaded, the others merged in.
  index ??= import(new URL(form.dataset.index, document.baseURI).href).then(async (pagefind) => {
    for (const folder of (form.dataset.merge || "").split(" ").filter(Boolean)) {
      await pagefind.mergeIndex(new URL(folder, document.baseURI).href);
    }
    return pagefind;
  });
  return index;
}

function say(text) {
  status.textContent = text;
}

function quoted(query) {
  return `\u201c${query}\u201d`;
}

async function run(query) {
  const ticket = ++latest;
  const params = new URLSearchParams(query ? { q: query } : {});
  history.replaceState(null, "", params.size ? `?${params}` : location.pathname);
  list.replaceChildren();
  more.parentElement.hidden = true;
  results = [];
  shown = 0;
  if (!query) {
    say("");
    return;
  }
  say("Searching\u2026");
  let found;
  try {
    found = await (await loadIndex()).search(query);
  } catch {
    index = null;
    say("Search is not available: the search index could not be loaded.");
    return;
  }
  if (ticket !== latest) return;
  results = found.results;
  const count = results.length;
  say(count ? `${count} ${count === 1 ? "result" : "results"} for ${quoted(query)}` :
    `Nothing found for ${quoted(query)}. Try fewer or other words.`);
  await showMore(ticket, false);
}

async function showMore(ticket, focusFirst) {
  const batch = results.slice(shown, shown + PAGE_SIZE);
  const pages = await Promise.all(batch.map((result) => result.data()));
  if (ticket !== latest) return;
  const items = pages.map(resultItem);
  list.append(...items);
  shown += batch.length;
  more.parentElement.hidden = shown >= results.length;
  if (focusFirst && items.length) items[0].querySelector("a").focus();
}

function resultItem(page) {
  const item = document.createElement("li");
  item.className = "search-result";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = page.url;
  link.textContent = page.meta.title || page.url;
  heading.append(link);
  const kind = document.createElement("p");
  kind.className = "search-kind";
  kind.textContent = [page.meta.kind, page.meta.detail].filter(Boolean).join(" \u00b7 ");
  item.append(heading, kind);
  const excerpt = document.createElement("p");
  excerpt.className = "search-excerpt";
  excerpt.append(...highlighted(page.excerpt));
  // A person's or topic's page may hold little more than its name.
  if (letters(excerpt.textContent) !== letters(link.textContent)) item.append(excerpt);
  return item;
}

function letters(text) {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

// Pagefind's excerpt is HTML with <mark> around the words found. It is read in
// an inert template and only its text and <mark>s are kept, so nothing else
// from the index can ever become markup on this page.
function highlighted(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const nodes = [];
  for (const node of template.content.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(node.textContent));
    }
  }
  return nodes;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typing);
  run(input.value.trim());
});
input.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => run(input.value.trim()), 250);
});
input.addEventListener("focus", () => loadIndex().catch(() => (index = null)), { once: true });
more.addEventListener("click", () => showMore(latest, true));

const initial = new URLSearchParams(location.search).get("q")?.trim() ?? "";
if (initial) {
  input.value = initial;
  run(initial);
}
