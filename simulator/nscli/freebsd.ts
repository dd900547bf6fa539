import { reply, Shell, ShellReply } from "../session/shell";

/**
 * A token FreeBSD shell behind nscli `shell`: enough to leave it again and to read the saved
 * configuration files. Anything else answers like csh does for an unknown command.
 */
export function enterFreebsd(shell: Shell): string[] {
    shell.mode = "freebsd";
    return [
        "Copyright (c) 1992-2018 The FreeBSD Project.",
        "Copyright (c) 1979, 1980, 1983, 1986, 1988, 1989, 1991, 1992, 1993, 1994",
        "        The Regents of the University of California. All rights reserved.",
        "",
    ];
}

export function runFreebsdLine(shell: Shell, line: string): ShellReply {
    const command = line.trim();
    if (command === "exit" || command === "logout") {
        shell.mode = "nscli";
        return reply([" Done"]);
    }
    return reply(runFreebsdCommand(shell, command));
}

export function runFreebsdCommand(shell: Shell, command: string): string[] {
    if (command === "") return [];
    const saved = shell.device.saved();
    switch (command.replace(/\s+/g, " ")) {
        case "cat /nsconfig/ZebOS.conf":
            return saved.zebos.split("\n");
        case "cat /nsconfig/ns.conf":
            return ["#NS14.1 Build 43.50", `enable ns feature ${saved.enabledFeatures.join(" ")}`];
        default:
            return [`${command.split(" ")[0]}: Command not found.`];
    }
}
