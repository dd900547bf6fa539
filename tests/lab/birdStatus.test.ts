import { strict as assert } from "node:assert";
import { calicoPeerStatuses, parseBirdProtocols } from "./support/birdProtocols";

describe("lab: reading BIRD's show protocols the way calicoctl node status does", () => {
    it("reads the raw control-socket protocol (Debian bird 1.6.8)", () => {
        // Verbatim from a bird 1.6.8 control socket (research notes, calico-bgp.md §6.2).
        const raw = [
            "0001 BIRD 1.6.8 ready.",
            "2002-name     proto    table    state  since       info",
            "1002-static1  Static   master   up     15:44:10    ",
            " kernel1  Kernel   master   up     15:44:10    ",
            " device1  Device   master   up     15:44:10    ",
            " direct1  Direct   master   up     15:44:10    ",
            " Global_127_0_0_5 BGP      master   up     15:44:12    Established   ",
            "0000 ",
        ].join("\n");
        const rows = parseBirdProtocols(raw);
        assert.deepEqual(
            rows.map((r) => r.name),
            ["static1", "kernel1", "device1", "direct1", "Global_127_0_0_5"],
        );
        assert.deepEqual(calicoPeerStatuses(rows), [{ peerAddress: "127.0.0.5", peerType: "global", state: "up", since: "15:44:12", info: "Established" }]);
    });

    it("reads birdc's output, keeps the error in INFO with single spaces, and types each peer", () => {
        const text = [
            "BIRD 1.6.8 ready.",
            "name     proto    table    state  since       info",
            "device1  Device   master   up     16:15:34    ",
            "Global_192_0_2_1 BGP      master   start  16:16:04    Idle          Received: Bad peer AS",
            "Mesh_10_0_0_3 BGP      master   up     16:16:01    Established   ",
            "Node_10_0_0_9 BGP      master   start  2026-11-24  Active        Socket: Connection refused",
            "Local_Workload_10_0_0_7 BGP      master   up     16:16:01    Established   ",
            "Global_10_0_0_5_port_179 BGP      master   up     16:16:01    Established   ",
            "Global_10_0_0_6 BGP      master   down   16:16:01    ",
        ].join("\n");
        assert.deepEqual(calicoPeerStatuses(parseBirdProtocols(text)), [
            { peerAddress: "192.0.2.1", peerType: "global", state: "start", since: "16:16:04", info: "Idle Received: Bad peer AS" },
            { peerAddress: "10.0.0.3", peerType: "node-to-node mesh", state: "up", since: "16:16:01", info: "Established" },
            { peerAddress: "10.0.0.9", peerType: "node specific", state: "start", since: "2026-11-24", info: "Active Socket: Connection refused" },
            // calicoctl turns every `_` into `.`, port suffix included.
            { peerAddress: "10.0.0.5.port.179", peerType: "global", state: "up", since: "16:16:01", info: "Established" },
            // Local_Workload_* peers and 5-column rows (empty info) are not shown, as in calicoctl.
        ]);
    });

    it("reads bird6's rows for the IPv6 table: `_` back to `:` (calicoctl's ipSep for IPv6)", () => {
        const text = [
            "BIRD 1.6.8 ready.",
            "name     proto    table    state  since       info",
            "Global_fd00_203_0_113__1 BGP      master   up     04:37:47    Established   ",
            "Mesh_2001__102 BGP      master   start  04:37:47    Idle          Received: Required capability missing",
        ].join("\n");
        const rows = parseBirdProtocols(text);
        assert.deepEqual(
            calicoPeerStatuses(rows, "ipv6").map((r) => [r.peerAddress, r.peerType, r.info]),
            [
                ["fd00:203:0:113::1", "global", "Established"],
                ["2001::102", "node-to-node mesh", "Idle Received: Required capability missing"],
            ],
        );
        assert.equal(calicoPeerStatuses(rows)[0]!.peerAddress, "fd00.203.0.113..1", "read as IPv4 rows, the address is garbled: the family matters");
    });
});
