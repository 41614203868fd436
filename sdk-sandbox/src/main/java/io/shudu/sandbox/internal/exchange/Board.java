package io.shudu.sandbox.internal.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.ExchangeCrypto;
import io.shudu.sandbox.internal.http.Problem;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The digital asset board: collections generated deterministically from trait layers, the provenance hash committed
 * before reveal, free claims (one per account, atomically), and gift transfers without any financial feature.
 *
 * <p>Each tenant has its own board: its own issue of the series (the same works and provenance hash for everyone,
 * but claims, owners and history of the tenant alone), the collections it created (invisible to other tenants) and
 * its own accounts. So no tenant can see another's claims or accounts, nor empty a collection for anyone else.
 */
final class Board {
  static final String SERIES_ID = "shen-sheng-bu-xi";
  static final long SERIES_SEED = 20220824L;
  static final int SERIES_SUPPLY = 10_000;
  static final Set<String> FINANCIAL_FIELDS = Set.of("price", "amount", "currency", "fee", "royalty",
      "consideration", "listingprice", "payment", "bid", "ask");

  /** Trait layers in canonical order; each value is code:weight. */
  static final Map<String, String[]> LAYERS = new LinkedHashMap<>();

  static {
    LAYERS.put("background", new String[] {"dawn:18", "huangpu-river:16", "night-shanghai:14", "plane-trees:14",
        "rainy-lane:12", "sunset-glow:12", "snow:8", "starry-sky:6"});
    LAYERS.put("landmark", new String[] {"oriental-pearl:16", "shanghai-tower:14", "the-bund:14", "yu-garden:12",
        "nanpu-bridge:10", "wukang-mansion:10", "shikumen:9", "jin-mao:7", "swfc:5", "china-art-museum:3"});
    LAYERS.put("palette", new String[] {"haipai-blue:20", "cinnabar-red:16", "magnolia-white:14",
        "plane-tree-gold:14", "celadon-green:12", "dai-purple:10", "ink-black:8", "neon-pink:6"});
    LAYERS.put("pattern", new String[] {"plain:30", "waves:20", "grid:16", "clouds:14", "dots:12", "rays:8"});
    LAYERS.put("emblem", new String[] {"none:34", "magnolia:20", "junk-ship:14", "data-stream:14", "dove:10",
        "lantern:8"});
    LAYERS.put("frame", new String[] {"none:40", "circle:25", "square:20", "arch:15"});
  }

  record Work(int tokenId, Map<String, String> traits, String hash, long rarityScore, int rarityRank) {}

  record ProvenanceEvent(String type, String from, String to, String at, String memo) {}

  static final class Collection {
    final String id;
    final Catalog.Text name;
    final int supply;
    final long seed;
    final List<Work> works;
    final String provenanceHash;
    final String committedAt;
    final String revealedAt;
    final int startingIndex;
    final Map<String, Integer> claims = new HashMap<>(); // tenant:account -> tokenId
    final Map<Integer, String> owners = new HashMap<>(); // tokenId -> tenant:account
    final Map<Integer, List<ProvenanceEvent>> history = new HashMap<>();
    /** Claims and transfers recorded in this collection (under its lock). */
    int events;
    int issued;

    Collection(String id, Catalog.Text name, int supply, long seed, String committedAt, String revealedAt) {
      this.id = id;
      this.name = name;
      this.supply = supply;
      this.seed = seed;
      this.works = List.copyOf(generate(supply, seed, id));
      StringBuilder all = new StringBuilder();
      for (Work w : works) {
        all.append(w.hash());
      }
      this.provenanceHash = ExchangeCrypto.sha256Hex(all.toString());
      this.committedAt = committedAt;
      this.revealedAt = revealedAt;
      this.startingIndex = (int) Math.floorMod(new SplittableRandom(seed ^ 0x5eed5eedL).nextLong(), (long) supply);
    }

    /** A fresh, unclaimed issue of {@code template} (its immutable works are shared). */
    Collection(Collection template) {
      this.id = template.id;
      this.name = template.name;
      this.supply = template.supply;
      this.seed = template.seed;
      this.works = template.works;
      this.provenanceHash = template.provenanceHash;
      this.committedAt = template.committedAt;
      this.revealedAt = template.revealedAt;
      this.startingIndex = template.startingIndex;
    }
  }

  /** Per tenant: collection id -> the tenant's collection. */
  private final Map<String, Map<String, Collection>> boards = new ConcurrentHashMap<>();
  private volatile Collection series;
  private final Clock clock;
  /** Collections created by each tenant, oldest first (for the per-tenant limit and the time to live). */
  private final Map<String, java.util.ArrayDeque<Created>> createdBy = new ConcurrentHashMap<>();
  private volatile int maxPerTenant = 10;
  private volatile int maxEventsPerTenant = Integer.MAX_VALUE;
  private volatile java.time.Duration ttl = java.time.Duration.ofHours(24);
  private volatile long nextPurgeMillis;

  private record Created(String id, java.time.Instant at) {}

  /** Sets how many collections a tenant may hold and how long each lives. */
  void limits(int max, java.time.Duration timeToLive) {
    this.maxPerTenant = max;
    this.ttl = timeToLive;
  }

  /** Sets how many claims and transfers a tenant may record in its live collections. */
  void maxEventsPerTenant(int max) {
    this.maxEventsPerTenant = max;
  }

  /** Refuses one more claim or transfer beyond the tenant's limit (429, limit {@code maxBoardEventsPerTenant}). */
  private void checkEventRoom(String tenant) {
    long n = 0;
    for (Collection c : board(tenant).values()) {
      synchronized (c) {
        n += c.events;
      }
    }
    if (n >= maxEventsPerTenant) {
      throw new Problem(429, "too_many_board_events", "Too many claims and transfers", "This tenant's board "
          + "collections already record " + n + " claims and transfers; the limit is " + maxEventsPerTenant + ". "
          + "They are freed when a collection expires (collectionTtl); or start the sandbox with a higher limit "
          + "(--limit maxBoardEventsPerTenant=<n>).").header("Retry-After", "60")
          .with("limit", "maxBoardEventsPerTenant").with("max", maxEventsPerTenant);
    }
  }

  /** Purges tenants' collections older than the time to live (at most once a second; O(expired)). */
  private void purgeExpired() {
    long now = clock.millis();
    if (now < nextPurgeMillis) {
      return;
    }
    nextPurgeMillis = now + 1000;
    java.time.Instant cutoff = clock.instant().minus(ttl);
    for (Map.Entry<String, java.util.ArrayDeque<Created>> e : createdBy.entrySet()) {
      java.util.ArrayDeque<Created> q = e.getValue();
      Map<String, Collection> own = boards.get(e.getKey());
      synchronized (q) {
        while (!q.isEmpty() && !q.peekFirst().at().isAfter(cutoff)) {
          String id = q.pollFirst().id();
          if (own != null) {
            own.remove(id);
          }
        }
      }
    }
  }

  Board(Clock clock) {
    this.clock = clock;
  }

  /**
   * The tenant's board, with its own issue of the series. The series is generated once, on first use, so a sandbox
   * that never touches the board starts fast.
   */
  private Map<String, Collection> board(String tenant) {
    Map<String, Collection> own = boards.get(tenant);
    if (own != null) {
      return own;
    }
    synchronized (this) {
      if (series == null) {
        series = new Collection(SERIES_ID, new Catalog.Text("申生不息", "Shanghai, Ever Growing"), SERIES_SUPPLY,
            SERIES_SEED, "2022-08-23T16:00:00Z", "2022-08-24T02:00:00Z");
      }
      return boards.computeIfAbsent(tenant, t -> {
        Map<String, Collection> m = new ConcurrentHashMap<>();
        m.put(SERIES_ID, new Collection(series));
        return m;
      });
    }
  }

  static String workHash(String collectionId, int tokenId, Map<String, String> traits) {
    return ExchangeCrypto.workHash(collectionId, tokenId, traits);
  }

  /** Generates {@code supply} works with unique trait combinations, deterministically from the seed. */
  static List<Work> generate(int supply, long seed, String collectionIdForHash) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Set<String> seen = new HashSet<>();
    List<Map<String, String>> all = new ArrayList<>(supply);
    Map<String, Map<String, Integer>> counts = new HashMap<>();
    while (all.size() < supply) {
      Map<String, String> t = new LinkedHashMap<>();
      for (Map.Entry<String, String[]> layer : LAYERS.entrySet()) {
        t.put(layer.getKey(), pick(layer.getValue(), rnd));
      }
      if (seen.add(ExchangeCrypto.canonicalTraits(t))) {
        all.add(t);
        for (Map.Entry<String, String> e : t.entrySet()) {
          counts.computeIfAbsent(e.getKey(), k -> new HashMap<>()).merge(e.getValue(), 1, Integer::sum);
        }
      }
    }
    long[] scores = new long[supply];
    for (int i = 0; i < supply; i++) {
      long s = 0;
      for (Map.Entry<String, String> e : all.get(i).entrySet()) {
        s += 1_000_000L / counts.get(e.getKey()).get(e.getValue());
      }
      scores[i] = s;
    }
    Integer[] order = new Integer[supply];
    for (int i = 0; i < supply; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Long.compare(scores[b], scores[a])
        : Integer.compare(a, b));
    int[] rank = new int[supply];
    for (int r = 0; r < supply; r++) {
      rank[order[r]] = r + 1;
    }
    List<Work> works = new ArrayList<>(supply);
    for (int i = 0; i < supply; i++) {
      Map<String, String> t = java.util.Collections.unmodifiableMap(all.get(i));
      works.add(new Work(i + 1, t, workHash(collectionIdForHash, i + 1, t), scores[i], rank[i]));
    }
    return works;
  }

  private static String pick(String[] values, SplittableRandom rnd) {
    int total = 0;
    for (String v : values) {
      total += Integer.parseInt(v.substring(v.indexOf(':') + 1));
    }
    int x = rnd.nextInt(total);
    for (String v : values) {
      int w = Integer.parseInt(v.substring(v.indexOf(':') + 1));
      if (x < w) {
        return v.substring(0, v.indexOf(':'));
      }
      x -= w;
    }
    throw new IllegalStateException();
  }

  // ---- API ----

  Collection collection(String tenant, String id) {
    purgeExpired();
    Collection c = board(tenant).get(id);
    if (c == null) {
      throw Problem.notFound("No collection '" + id + "'; list them at /exchange/v1/board/collections (the series is '"
          + SERIES_ID + "').");
    }
    return c;
  }

  List<Map<String, Object>> collections(String tenant) {
    purgeExpired();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Collection c : board(tenant).values()) {
      out.add(collectionView(c));
    }
    out.sort((a, b) -> ((String) a.get("id")).compareTo((String) b.get("id")));
    return out;
  }

  Map<String, Object> collectionView(Collection c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.id);
    m.put("name", c.name);
    m.put("supply", c.supply);
    synchronized (c) {
      m.put("issued", c.issued);
    }
    m.put("provenanceHash", c.provenanceHash);
    m.put("provenanceCommittedAt", c.committedAt);
    m.put("revealedAt", c.revealedAt);
    m.put("revealed", revealed(c));
    m.put("startingIndex", c.startingIndex);
    Map<String, List<String>> layers = new LinkedHashMap<>();
    LAYERS.forEach((k, v) -> {
      List<String> codes = new ArrayList<>();
      for (String s : v) {
        codes.add(s.substring(0, s.indexOf(':')));
      }
      layers.put(k, codes);
    });
    m.put("traitLayers", layers);
    m.put("rules", List.of("free claim, one work per account", "gifts between accounts only: no price, no resale "
        + "market, no financial features"));
    return m;
  }

  /** Whether a collection's traits are public (its provenance hash is public from the start). */
  boolean revealed(Collection c) {
    return !clock.instant().isBefore(java.time.Instant.parse(c.revealedAt));
  }

  Map<String, Object> create(String tenant, JsonNode body) {
    String name = text(body, "name");
    if (name == null || name.isBlank() || name.length() > 64) {
      throw Problem.validation("name", "name is required (1-64 characters).");
    }
    JsonNode s = body.get("supply");
    if (s == null || !s.canConvertToInt() || s.asInt() < 1 || s.asInt() > SERIES_SUPPLY) {
      throw Problem.validation("supply", "supply must be an integer between 1 and " + SERIES_SUPPLY + ".");
    }
    rejectFinancial(body);
    long seed = body.has("seed") ? body.get("seed").asLong() : name.hashCode();
    String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    String id = (slug.isEmpty() ? "collection" : slug) + "-" + Long.toHexString(System.nanoTime() & 0xfffff);
    long revealIn = 0;
    if (body.has("revealInMs")) {
      JsonNode r = body.get("revealInMs");
      if (!r.canConvertToLong() || r.asLong() < 0 || r.asLong() > 86_400_000L) {
        throw Problem.validation("revealInMs", "revealInMs must be between 0 and 86400000 (one day).");
      }
      revealIn = r.asLong();
    }
    java.time.Instant now = clock.instant();
    nextPurgeMillis = 0;
    purgeExpired();
    java.util.ArrayDeque<Created> mine = createdBy.computeIfAbsent(tenant, t -> new java.util.ArrayDeque<>());
    synchronized (mine) {
      if (mine.size() >= maxPerTenant) {
        long wait = Math.max(1, java.time.Duration.between(now, mine.peekFirst().at().plus(ttl)).toSeconds());
        throw new Problem(429, "too_many_collections", "Too many collections", "This tenant already has "
            + maxPerTenant + " board collections; each lives " + ttl + " after its creation. Wait for the oldest to "
            + "expire or reuse one.").header("Retry-After", Long.toString(wait))
            .with("limit", "maxCollectionsPerTenant").with("max", maxPerTenant);
      }
    }
    Collection c = new Collection(id, new Catalog.Text(name, name), s.asInt(), seed, now.toString(),
        now.plusMillis(revealIn).toString());
    synchronized (mine) {
      mine.addLast(new Created(id, now));
    }
    board(tenant).put(id, c);
    return collectionView(c);
  }

  Map<String, Object> assetView(Collection c, Work w, String tenant, boolean withHistory) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", assetId(c, w.tokenId()));
    m.put("collectionId", c.id);
    m.put("tokenId", w.tokenId());
    m.put("name", c.name.zh() + " #" + w.tokenId());
    boolean revealed = revealed(c);
    m.put("revealed", revealed);
    if (revealed) {
      // before the reveal only the provenance hash is public: traits, hashes and rarity stay hidden
      m.put("traits", w.traits());
      m.put("rarityScore", w.rarityScore());
      m.put("rarityRank", w.rarityRank());
      m.put("hash", w.hash());
    }
    String owner;
    List<ProvenanceEvent> hist;
    synchronized (c) {
      owner = c.owners.get(w.tokenId());
      hist = withHistory ? List.copyOf(c.history.getOrDefault(w.tokenId(), List.of())) : null;
    }
    m.put("claimed", owner != null);
    if (owner != null && owner.startsWith(tenant + ":")) {
      m.put("owner", owner.substring(tenant.length() + 1));
    }
    if (withHistory) {
      List<ProvenanceEvent> visible = new ArrayList<>();
      visible.add(new ProvenanceEvent("MINTED", null, null, c.committedAt, "provenance " + c.provenanceHash));
      for (ProvenanceEvent e : hist) {
        visible.add(new ProvenanceEvent(e.type(), strip(e.from(), tenant), strip(e.to(), tenant), e.at(), e.memo()));
      }
      m.put("provenance", visible);
    }
    return m;
  }

  private static String strip(String owner, String tenant) {
    if (owner == null) {
      return null;
    }
    return owner.startsWith(tenant + ":") ? owner.substring(tenant.length() + 1) : "(another tenant)";
  }

  static String assetId(Collection c, int tokenId) {
    return c.id + "-" + tokenId;
  }

  /** Resolves "collection-tokenId". */
  Object[] asset(String tenant, String assetId) {
    int dash = assetId.lastIndexOf('-');
    if (dash > 0) {
      Collection c = board(tenant).get(assetId.substring(0, dash));
      try {
        int token = Integer.parseInt(assetId.substring(dash + 1));
        if (c != null && token >= 1 && token <= c.supply) {
          return new Object[] {c, c.works.get(token - 1)};
        }
      } catch (NumberFormatException ignored) {
        // not found below
      }
    }
    throw Problem.notFound("No asset '" + assetId + "'; asset ids look like '" + SERIES_ID + "-42'.");
  }

  record ClaimResult(boolean newlyClaimed, Map<String, Object> asset) {}

  /** Claims a work for an account: atomic per collection; a repeated claim returns the account's work. */
  ClaimResult claim(String tenant, String collectionId, JsonNode body) {
    Collection c = collection(tenant, collectionId);
    rejectFinancial(body);
    String account = account(text(body, "account"), "account");
    String key = tenant + ":" + account;
    Work w;
    boolean fresh;
    if (!c.claims.containsKey(key)) {
      checkEventRoom(tenant);
    }
    synchronized (c) {
      Integer existing = c.claims.get(key);
      if (existing != null) {
        w = c.works.get(existing - 1);
        fresh = false;
      } else {
        if (c.issued >= c.supply) {
          throw new Problem(409, "collection_exhausted", "Collection fully claimed", "All " + c.supply
              + " works of '" + c.id + "' have been claimed; no more can be issued.");
        }
        int token = (c.issued + c.startingIndex) % c.supply + 1;
        c.issued++;
        c.events++;
        c.claims.put(key, token);
        c.owners.put(token, key);
        c.history.computeIfAbsent(token, k -> new ArrayList<>()).add(new ProvenanceEvent("CLAIMED", null, key,
            clock.instant().toString(), "free claim"));
        w = c.works.get(token - 1);
        fresh = true;
      }
    }
    return new ClaimResult(fresh, assetView(c, w, tenant, true));
  }

  List<Map<String, Object>> accountAssets(String tenant, String account) {
    String key = tenant + ":" + account(account, "account");
    List<Map<String, Object>> out = new ArrayList<>();
    for (Collection c : board(tenant).values()) {
      List<Integer> tokens = new ArrayList<>();
      synchronized (c) {
        c.owners.forEach((t, o) -> {
          if (o.equals(key)) {
            tokens.add(t);
          }
        });
      }
      tokens.sort(Integer::compare);
      for (int t : tokens) {
        out.add(assetView(c, c.works.get(t - 1), tenant, false));
      }
    }
    return out;
  }

  Map<String, Object> transfer(String tenant, JsonNode body) {
    rejectFinancial(body);
    String assetId = text(body, "assetId");
    if (assetId == null) {
      throw Problem.validation("assetId", "assetId is required.");
    }
    String from = account(text(body, "fromAccount"), "fromAccount");
    String to = account(text(body, "toAccount"), "toAccount");
    if (from.equals(to)) {
      throw Problem.validation("toAccount", "toAccount must differ from fromAccount.");
    }
    String memo = text(body, "memo");
    if (memo != null && memo.length() > 200) {
      throw Problem.validation("memo", "memo must be at most 200 characters.");
    }
    Object[] found = asset(tenant, assetId);
    Collection c = (Collection) found[0];
    Work w = (Work) found[1];
    checkEventRoom(tenant);
    synchronized (c) {
      String owner = c.owners.get(w.tokenId());
      if (owner == null || !owner.equals(tenant + ":" + from)) {
        throw new Problem(403, "not_owner", "Not the owner", "Account '" + from + "' does not own " + assetId
            + "; only the owner can give it away.");
      }
      c.owners.put(w.tokenId(), tenant + ":" + to);
      c.events++;
      c.history.computeIfAbsent(w.tokenId(), k -> new ArrayList<>()).add(new ProvenanceEvent("TRANSFERRED",
          tenant + ":" + from, tenant + ":" + to, clock.instant().toString(), memo == null ? "gift" : memo));
    }
    return assetView(c, w, tenant, true);
  }

  /** The board's rules: no price, no market, no financial features. */
  static void rejectFinancial(JsonNode body) {
    if (body == null || !body.isObject()) {
      return;
    }
    for (var it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (FINANCIAL_FIELDS.contains(f.toLowerCase(Locale.ROOT))) {
        throw new Problem(422, "financial_feature_forbidden", "Financial features are not allowed",
            "The digital asset board has no pricing, resale market or financial features: remove '" + f
                + "'. Works are claimed free and can only be given away.").with("field", f);
      }
    }
  }

  static Problem resaleForbidden() {
    return new Problem(403, "resale_forbidden", "No resale market", "The digital asset board has no secondary "
        + "market: works cannot be listed, priced or sold. Use a transfer (a gift) instead.");
  }

  private static String account(String v, String field) {
    if (v == null || !v.matches("[A-Za-z0-9_.@-]{1,64}")) {
      throw Problem.validation(field, field + " must be 1-64 letters, digits, '_', '.', '@' or '-', got "
          + (v == null ? "nothing" : "'" + v + "'") + ".");
    }
    return v;
  }

  private static String text(JsonNode n, String f) {
    JsonNode v = n == null ? null : n.get(f);
    return v == null || v.isNull() ? null : v.asText();
  }
}
