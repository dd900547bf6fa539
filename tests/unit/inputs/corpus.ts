/**
 * The bad-input corpus: for each input field of AdcBgpRouter, AdcBgpNeighbors and
 * CalicoAdcPeering, values a user may plausibly give, each with the one outcome it must have:
 * refused, naming the field (and nothing secret), or accepted with exactly the device lines it
 * must produce. Data only; corpus.test.ts runs it.
 */

/** The SSH password and BGP password the base inputs carry; no refusal may show them. */
export const SSH_PASSWORD = "Corpus-Ssh-Pw-5b1";
export const BGP_PASSWORD = "Corpus-Bgp-Pw-9c2";
/** A real SHA-256 fingerprint (32 bytes; its last base64 character carries 2 bits). */
export const FINGERPRINT = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";

export type Resource = "router" | "neighbors" | "peering";

/** A marker for "remove this key". */
export const ABSENT = Symbol("absent");

export interface CorpusCase {
    readonly resource: Resource;
    /** Where the value goes, e.g. `connection.host`, `neighbors[0].description`, `maxPaths`. */
    readonly path: string;
    readonly value: unknown;
    /** Refused: the property the failure must name. Accepted: the exact device lines. */
    readonly expect: { readonly refused: string } | { readonly lines: readonly string[] };
}

const N = "10.102.33.202";
/** The lines the base inputs produce on an empty device. */
export const ROUTER_LINES = ["ns route-install bgp", "router bgp 500"];
export const NEIGHBOR_LINES = [`neighbor ${N} remote-as 64512`];

const cases: CorpusCase[] = [];
const refuse = (resource: Resource, path: string, values: readonly unknown[], refused = path) => {
    for (const value of values) cases.push({ resource, path, value, expect: { refused } });
};
const accept = (resource: Resource, path: string, value: unknown, lines: readonly string[]) => cases.push({ resource, path, value, expect: { lines } });

/** Characters no text input may hold: C0, DEL, C1, format characters, separators, odd spaces, lone surrogates, private use. */
export const INVISIBLE_CHARACTERS = [
    "\u0000", "\u0007", "\u0008", "\t", "\n", "\u000b", "\u000c", "\r", "\u001b", "\u007f",
    "\u0080", "\u0085", "\u008d", "\u009b", "\u009f",
    "\u00a0", "\u00ad", "\u061c", "\u180e", "\u200b", "\u200d", "\u200e", "\u202e", "\u2060", "\u2066", "\ufeff",
    "\u2028", "\u2029", "\u3000",
    "\ud800", "\udbff", "\udc00",
    "\ue000",
];
/** Characters the CLI reads as part of another command. */
const CLI_METACHARACTERS = [";", "?", '"', "'", "\\", "`"];

// ---- connection (both ADC resources share it) -------------------------------------------
for (const resource of ["router", "neighbors"] as const) {
    refuse(resource, "connection.host", [
        "010.0.0.1", "0177.0.0.1", "127.1", "10.1", "0x7f.0.0.1", "0x0a000001", "2130706433", "167772161",
        "10.0.0.1.", "1.2.3.4.5", "0.0.0.0", "255.255.255.255", "224.0.0.1", "::", "ff02::1", "::ffff:10.102.33.1",
        "[fd00::1]", "fd00::1%eth0", "adc.example.com:22", "http://adc", "adc..example.com", "-adc", "adc-", "adc_1.example.com",
        `${"a".repeat(64)}.example.com`, "", " 10.102.33.1", "adc\u2028", 10, null, true, ["10.102.33.1"], {},
    ]);
    refuse(resource, "connection.port", [0, 65536, -22, 22.5, "22x", "", Number.NaN, Number.POSITIVE_INFINITY, true, [22], {}]);
    refuse(resource, "connection.username", ["ns root", "", "root;shell", "nsroot\n", "nsroot\u0085", "nsroot\u200b", "a".repeat(65), 5, {}]);
    refuse(resource, "connection.password", ["", 42, ["pw"], "pw\u0000x", "pw\u0085x", "pw\u2028x", "pw\ud800x", "pw\u200bx"]);
    refuse(resource, "connection.privateKeyPassphrase", ["", 7, "pass\u0000", "pass\u2029", "pass\udfff"]);
    refuse(resource, "connection.privateKey", ["", 3, "-----BEGIN KEY-----\u0000", "key\u2028"]);
    refuse(resource, "connection.hostKeyFingerprint", [
        "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV",
        "SHA256:47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU",
        "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSu",
        "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFUAA",
        " SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
        "MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48",
        "sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
        "", 256, {},
    ]);
    refuse(resource, "connection.insecureIgnoreHostKey", ["true", 1, "yes"]);
    refuse(resource, "connection.connectTimeoutMs", [99, 600_001, 1.5, "fast", -1]);
    refuse(resource, "connection.commandTimeoutMs", [0, 600_001, 2.5, "slow"]);
    refuse(resource, "connection.connectRetries", [-1, 11, 0.5, "twice"]);
    refuse(resource, "connection.passwrd", ["pw"]);
    refuse(resource, "connection.hostKeyFingerprnt", [FINGERPRINT]);
    refuse(resource, "connection.user", ["nsroot"]);
    refuse(resource, "connection", ["10.102.33.1", ["10.102.33.1"], 5]);
    refuse(resource, "connection", [ABSENT]);
    refuse(resource, "credentials", ["pw", ["pw"]]);
    refuse(resource, "credentials.pasword", ["pw"]);
    refuse(resource, "localAsn", [0, -1, 4294967296, 1.5, "500a", "", null, ABSENT, true, [500], {}]);
    refuse(resource, "saveConfig", ["true", 1, "no"]);
    refuse(resource, "adoptExisting", ["false", 0, "yes"]);

    const base = resource === "router" ? ROUTER_LINES : NEIGHBOR_LINES;
    for (const host of ["10.102.33.1", "adc.example.com", "adc-1", "ADC.Example.COM", "adc.example.com.", "localhost", "127.0.0.1", "fd00::10", "2001:db8::1"]) {
        accept(resource, "connection.host", host, base);
    }
    for (const port of [22, 2222, "2222", 65535]) accept(resource, "connection.port", port, base);
    accept(resource, "connection.username", "automation", base);
    accept(resource, "connection.password", "p@ss word;with?odd\"chars", base);
    accept(resource, "connection.hostKeyFingerprint", `${FINGERPRINT}=`, base);
    accept(resource, "connection.hostKeyFingerprint", FINGERPRINT.slice("SHA256:".length), base);
    accept(resource, "connection.connectRetries", 0, base);

    // An HA pair, given by both nodes (the base's host and key are then refused, so each case names the node's own field).
    const node = (host: string, extra: Record<string, unknown> = {}) => ({ host, hostKeyFingerprint: FINGERPRINT, ...extra });
    const pairOf = (a: unknown, b: unknown) => [a, b];
    refuse(resource, "connection.nodes", ["10.102.33.1", [], [node("10.102.33.1")], [node("10.102.33.1"), node("10.102.33.2"), node("10.102.33.3")], {}, 5]);
    refuse(resource, "connection.nodes", [pairOf(node("10.102.33.1"), node("10.102.33.2"))], "connection.host");
    refuse(resource, "connection.nodes", [pairOf(node("10.102.33.1"), node("10.102.33.2"))], "connection.hostKeyFingerprint");
    refuse(resource, "connection.nodes", [pairOf(node("10.102.33.1"), { host: "10.102.33.2" })], "connection.nodes[1].hostKeyFingerprint");
    refuse(resource, "connection.nodes", [pairOf(node("010.0.0.1"), node("10.102.33.2"))], "connection.nodes[0].host");
    refuse(resource, "connection.nodes", [pairOf(node("10.102.33.1"), node("10.102.33.2", { port: 0 }))], "connection.nodes[1].port");
    refuse(resource, "connection.nodes", [pairOf(node("10.102.33.1"), node("10.102.33.2", { hostKeyFingerprint: "MD5:aa:bb" }))], "connection.nodes[1].hostKeyFingerprint");
    refuse(resource, "connection.nodes", [pairOf(node("10.102.33.1"), node("10.102.33.1"))], "connection.nodes[1]");
    refuse(resource, "connection.nodes", [pairOf(node("10.102.33.1"), node("10.102.33.2", { hostKeyFingerprnt: FINGERPRINT }))], "connection.nodes[1].hostKeyFingerprnt");
    refuse(resource, "connection.failOnSecondaryDifference", [true], "connection.failOnSecondaryDifference");
    refuse(resource, "connection.failOnSecondaryDifference", ["yes", 1]);
}

// ---- AdcBgpRouter -----------------------------------------------------------------------
refuse("router", "routerId", ["0.0.0.0", "255.255.255.255", "224.0.0.5", "::1", "fd00::1", "10.0.0", "010.0.0.1", "abc", 5, true]);
refuse("router", "maxPaths", [8, "8", [8], true]);
refuse("router", "maxPaths.ebgp", [0, 65, 1.5, "x", -1]);
refuse("router", "maxPaths.ibgp", [0, 65, "many"]);
refuse("router", "maxPaths", [{ egbp: 8 }], "maxPaths.egbp");
refuse("router", "maxPaths", [{ ebgp: 8, extra: 1 }], "maxPaths.extra");
for (const key of ["routeInstall", "redistributeKernel"]) refuse("router", key, ["true", 1, 0, "yes", []]);
refuse("router", "lokalAsn", [500]);
refuse("router", "maxpaths", [{ ebgp: 8 }]);
refuse("router", "routerID", ["10.0.0.1"]);
refuse("router", "neighbors", [[]]);
accept("router", "routerId", "10.102.33.208", ["ns route-install bgp", "bgp router-id 10.102.33.208"]);
accept("router", "routerId", "192.0.2.1", ["ns route-install bgp", "bgp router-id 192.0.2.1"]);
accept("router", "maxPaths", { ebgp: 8 }, ["ns route-install bgp", "max-paths ebgp 8"]);
accept("router", "maxPaths", { ibgp: 4 }, ["ns route-install bgp", "max-paths ibgp 4"]);
accept("router", "maxPaths", { ebgp: 64, ibgp: 1 }, ["ns route-install bgp", "max-paths ebgp 64", "max-paths ibgp 1"]);
accept("router", "maxPaths", { ebgp: "16" }, ["ns route-install bgp", "max-paths ebgp 16"]);
accept("router", "maxPaths", {}, ROUTER_LINES);
accept("router", "redistributeKernel", true, ["ns route-install bgp", "redistribute kernel"]);
accept("router", "routeInstall", false, ["router bgp 500"]);
accept("router", "localAsn", 4294967295, ["ns route-install bgp", "router bgp 4294967295"]);
accept("router", "localAsn", "64512", ["ns route-install bgp", "router bgp 64512"]);
accept("router", "localAsn", 1, ["ns route-install bgp", "router bgp 1"]);

// ---- AdcBgpNeighbors ----------------------------------------------------------------------
const at = (field: string) => `neighbors[0].${field}`;
refuse("neighbors", at("address"), [
    "0.0.0.0", "0.1.2.3", "255.255.255.255", "224.0.0.5", "239.255.255.250", "240.0.0.1", "127.0.0.1", "::", "::1",
    "::ffff:10.102.33.202", "::ffff:0:10.102.33.202", "ff02::1", "fe80::1", "010.102.33.202", "10.102.33", "10.102.33.256",
    "10.102.33.202/32", "fd00::1%eth0", "[fd00::1]", "node-1", "", 167772161, null, ABSENT,
]);
refuse("neighbors", at("remoteAsn"), [0, -5, 4294967296, 2.5, "as64512", null, ABSENT, [64512]]);
refuse("neighbors", at("ebgpMultihop"), [0, 256, 1.5, "two", -1]);
refuse("neighbors", at("updateSource"), ["0.0.0.0", "224.0.0.1", "::", "255.255.255.255", "vlan 101", "1vlan", "vlan;101", "", "v".repeat(40), 101]);
refuse("neighbors", at("description"), [
    ...INVISIBLE_CHARACTERS.map((c) => `node${c}1`),
    ...CLI_METACHARACTERS.map((c) => `node${c}1`),
    "", " worker-1", "worker-1 ", "worker  1", "w".repeat(68), 5, ["worker-1"],
]);
refuse("neighbors", at("password"), [
    ...INVISIBLE_CHARACTERS.map((c) => `Bgp${c}Pw`),
    ...CLI_METACHARACTERS.map((c) => `Bgp${c}Pw`),
    "", "two words", "p".repeat(81), 1234, ["pw"],
    // The redactor's placeholder: it would take the rest for a secret it had hidden already.
    "<redacted>)Xk9-Secret", "Xk9<redacted>",
]);
refuse("neighbors", at("passwrd"), [BGP_PASSWORD]);
refuse("neighbors", at("adress"), ["10.0.0.1"]);
refuse("neighbors", at("remoteAS"), [64512]);
refuse("neighbors", at("desc"), ["worker-1"]);
refuse("neighbors", "neighbors[0]", ["10.102.33.202", null, [N], 5]);
refuse("neighbors", "neighbors", [{ address: N, remoteAsn: 64512, password: BGP_PASSWORD }, N, 5, null, ABSENT]);
refuse("neighbors", "neighborPasswords", ["pw", ["pw"], 5, true]);
refuse("neighbors", "neighborPasswords", [{ "10.9.9.9": BGP_PASSWORD }], 'neighborPasswords["10.9.9.9"]');
refuse("neighbors", "neighborPasswords", [{ [N]: 5 }], "neighbors[0].password");
refuse("neighbors", "waitForEstablishedSeconds", [-1, 3601, 1.5, "soon", true]);
refuse("neighbors", "neighbours", [[]]);
refuse("neighbors", "localASN", [500]);
refuse("neighbors", "routerId", ["10.0.0.1"]);
accept("neighbors", at("address"), "10.102.33.203", ["neighbor 10.102.33.203 remote-as 64512"]);
accept("neighbors", at("address"), " 10.102.33.203 ", ["neighbor 10.102.33.203 remote-as 64512"]);
accept("neighbors", at("address"), "FD00::0001", ["neighbor fd00::1 remote-as 64512", "neighbor fd00::1 activate"]);
accept("neighbors", at("address"), "2001:db8::5", ["neighbor 2001:db8::5 remote-as 64512", "neighbor 2001:db8::5 activate"]);
accept("neighbors", at("address"), "169.254.10.1", ["neighbor 169.254.10.1 remote-as 64512"]);
accept("neighbors", at("remoteAsn"), 4294967295, [`neighbor ${N} remote-as 4294967295`]);
accept("neighbors", at("remoteAsn"), "65001", [`neighbor ${N} remote-as 65001`]);
accept("neighbors", at("ebgpMultihop"), 2, [...NEIGHBOR_LINES, `neighbor ${N} ebgp-multihop 2`]);
accept("neighbors", at("ebgpMultihop"), 255, [...NEIGHBOR_LINES, `neighbor ${N} ebgp-multihop 255`]);
accept("neighbors", at("updateSource"), "vlan101", [...NEIGHBOR_LINES, `neighbor ${N} update-source vlan101`]);
accept("neighbors", at("updateSource"), "10.102.33.208", [...NEIGHBOR_LINES, `neighbor ${N} update-source 10.102.33.208`]);
accept("neighbors", at("updateSource"), "lo0", [...NEIGHBOR_LINES, `neighbor ${N} update-source lo0`]);
accept("neighbors", at("description"), "worker 1", [...NEIGHBOR_LINES, `neighbor ${N} description worker 1`]);
accept("neighbors", at("description"), "nœud-1 (rack B)", [...NEIGHBOR_LINES, `neighbor ${N} description nœud-1 (rack B)`]);
accept("neighbors", at("description"), "node \u{1F680} 1", [...NEIGHBOR_LINES, `neighbor ${N} description node \u{1F680} 1`]);
accept("neighbors", at("description"), "d".repeat(67), [...NEIGHBOR_LINES, `neighbor ${N} description ${"d".repeat(67)}`]);
accept("neighbors", at("password"), BGP_PASSWORD, [...NEIGHBOR_LINES, `neighbor ${N} password ${BGP_PASSWORD}`]);
accept("neighbors", at("password"), "p".repeat(80), [...NEIGHBOR_LINES, `neighbor ${N} password ${"p".repeat(80)}`]);
accept("neighbors", "neighborPasswords", { [N]: BGP_PASSWORD }, [...NEIGHBOR_LINES, `neighbor ${N} password ${BGP_PASSWORD}`]);
accept("neighbors", "neighbors", [], []);
accept("neighbors", "waitForEstablishedSeconds", 3600, NEIGHBOR_LINES);

// ---- CalicoAdcPeering (the shape of its arguments) -----------------------------------------
refuse("peering", "clustr", [{}]);
refuse("peering", "bgpPasword", [BGP_PASSWORD]);
refuse("peering", "waitForEstablishd", [true]);
refuse("peering", "adc.peerAdress", ["10.102.33.208"]);
refuse("peering", "adc.localAsn", [500]);
refuse("peering", "adc.connection.passwrd", [SSH_PASSWORD]);
refuse("peering", "adc.maxPaths", [8, "8"]);
refuse("peering", "adc.maxPaths.egbp", [8]);
refuse("peering", "adc", [ABSENT, "10.102.33.1", 5]);
refuse("peering", "cluster", ["kind-a", 5]);
refuse("peering", "cluster.node", [[]]);
refuse("peering", "cluster.nodes", [{ name: "worker-1", address: N }, "worker-1"]);
refuse("peering", "cluster.nodes[0]", ["worker-1", 5]);
refuse("peering", "cluster.nodes[0].adress", [N]);
refuse("peering", "cluster.nodes[0].ASN", [64512]);
accept("peering", "cluster.nodes[0].asn", 64513, [`neighbor ${N} remote-as 64513`, `neighbor ${N} description worker-1`]);
accept("peering", "adc.maxPaths", { ebgp: 8 }, [...NEIGHBOR_LINES, `neighbor ${N} description worker-1`]);
accept("peering", "adc.ebgpMultihop", 3, [...NEIGHBOR_LINES, `neighbor ${N} description worker-1`, `neighbor ${N} ebgp-multihop 3`]);

export const CORPUS: readonly CorpusCase[] = cases;
