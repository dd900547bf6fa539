/**
 * The nscli feature list (`show ns feature`): name, acronym. The order follows NetScaler 13.x
 * builds; row numbers on a real appliance depend on the release.
 */
export const FEATURES: readonly { readonly name: string; readonly acronym: string }[] = [
    { name: "Web Logging", acronym: "WL" },
    { name: "Surge Protection", acronym: "SP" },
    { name: "Load Balancing", acronym: "LB" },
    { name: "Content Switching", acronym: "CS" },
    { name: "Cache Redirection", acronym: "CR" },
    { name: "Sure Connect", acronym: "SC" },
    { name: "Compression Control", acronym: "CMP" },
    { name: "Priority Queuing", acronym: "PQ" },
    { name: "SSL Offloading", acronym: "SSL" },
    { name: "Global Server Load Balancing", acronym: "GSLB" },
    { name: "Http DoS Protection", acronym: "HDOSP" },
    { name: "Content Filtering", acronym: "CF" },
    { name: "Integrated Caching", acronym: "IC" },
    { name: "SSL VPN", acronym: "SSLVPN" },
    { name: "AAA", acronym: "AAA" },
    { name: "OSPF Routing", acronym: "OSPF" },
    { name: "RIP Routing", acronym: "RIP" },
    { name: "BGP Routing", acronym: "BGP" },
    { name: "Rewrite", acronym: "REWRITE" },
    { name: "IPv6 protocol translation", acronym: "IPv6PT" },
    { name: "Application Firewall", acronym: "AppFw" },
    { name: "Responder", acronym: "RESPONDER" },
    { name: "HTML Injection", acronym: "HTMLInjection" },
    { name: "NetScaler Push", acronym: "push" },
    { name: "AppFlow", acronym: "AppFlow" },
    { name: "CloudBridge", acronym: "CloudBridge" },
    { name: "ISIS Routing", acronym: "ISIS" },
    { name: "CallHome", acronym: "CH" },
    { name: "AppQoE", acronym: "AppQoE" },
    { name: "Content Accelerator", acronym: "ContentAccel" },
    { name: "RISE", acronym: "RISE" },
    { name: "BotMgmt", acronym: "BotMgmt" },
    { name: "URL Filtering", acronym: "URLFiltering" },
    { name: "Video Optimization", acronym: "VideoOptimization" },
    { name: "Forward Proxy", acronym: "ForwardProxy" },
    { name: "SSL Interception", acronym: "SSLInterception" },
    { name: "Adaptive TCP", acronym: "AdaptiveTCP" },
    { name: "Connection Quality Analytics", acronym: "CQA" },
    { name: "Content Inspection", acronym: "CI" },
    { name: "Bot Management", acronym: "Bot" },
    { name: "API Gateway", acronym: "APIGateway" },
];

/** Features a freshly installed appliance has on (an assumption; BGP is off, which is what matters). */
export const DEFAULT_ENABLED_FEATURES: readonly string[] = ["WL", "LB", "CS", "SSL", "CMP", "CH"];

/** The canonical acronym for a user-typed feature name (case-insensitive), or undefined. */
export function featureAcronym(word: string): string | undefined {
    const lower = word.toLowerCase();
    return FEATURES.find((f) => f.acronym.toLowerCase() === lower)?.acronym;
}
