import { CommandTable } from "../grammar/commandTable";
import { Shell } from "../session/shell";
import { VtyshCommand } from "./processor";
import { renderBgpSummary, renderIpRoute } from "./show";

const nav = (run: VtyshCommand["run"]): VtyshCommand => ({ run, config: false });

/** `ns#` only: entering configuration mode and terminal settings. */
export function execCommands(t: CommandTable<VtyshCommand>): CommandTable<VtyshCommand> {
    return t
        .add(
            "configure terminal",
            nav((shell) => {
                shell.mode = "config";
                return ["Enter configuration commands, one per line. End with CNTL/Z."];
            }),
        )
        // Accepted as a no-op: clients send it defensively; whether ZebOS pages is unconfirmed.
        .add("terminal length <lines:0-512>", nav(() => []));
}

function exit(shell: Shell): readonly string[] {
    switch (shell.mode) {
        case "router-af":
            shell.mode = "router";
            return [];
        case "router":
            shell.mode = "config";
            return [];
        case "config":
            shell.mode = "vtysh";
            return [];
        default:
            // Leaving vtysh returns to nscli, which reports the `vtysh` command as done.
            shell.mode = "nscli";
            return [" Done"];
    }
}

/** The command that lists IPv6 unicast sessions, in every vtysh mode (its spelling is the `ipv6SummaryCommand` option). */
export function ipv6SummaryCommands(t: CommandTable<VtyshCommand>, command: string): CommandTable<VtyshCommand> {
    return t.add(command, nav((shell) => renderBgpSummary(shell.device, "ipv6")));
}

/**
 * Commands every vtysh mode accepts: ZebOS runs show commands from configuration modes too
 * (the seed transcript runs `show running-config` at `ns(config-router)#`).
 */
export function commonCommands(t: CommandTable<VtyshCommand>): CommandTable<VtyshCommand> {
    return t
        .add("show running-config", nav((shell) => shell.device.runningConfig()))
        .add("write terminal", nav((shell) => shell.device.runningConfig()))
        .add("show ip bgp summary", nav((shell) => renderBgpSummary(shell.device, "ipv4")))
        .add("show ip route", nav((shell) => renderIpRoute(shell.device, false)))
        .add("show ip route bgp", nav((shell) => renderIpRoute(shell.device, true)))
        .add(
            "write [memory]",
            nav((shell) => {
                shell.device.writeZebos();
                return ["Building configuration...", "[OK]"];
            }),
        )
        .add("exit", nav(exit))
        .add("quit", nav(exit))
        .add(
            "end",
            nav((shell) => {
                if (shell.inConfigMode) shell.mode = "vtysh";
                return [];
            }),
        );
}
