export { CalicoBgpPeer, CalicoBgpPeerArgs, BgpPeerSpecArgs } from "./calicoBgpPeer";
export { CalicoBgpPeerValidationError, formatFailures } from "./errors";
export { renderBgpPeer, RenderedBgpPeer, BgpPeerMetadata } from "./render";
export {
    BgpPeerSpec,
    BgpNextHopMode,
    BgpReversePeering,
    BgpSourceAddress,
    SecretKeyRef,
    CalicoApiVersion,
    CalicoRelease,
    CALICO_API_VERSIONS,
    DEFAULT_CALICO_API_VERSION,
    BGP_PEER_FIELD_SINCE,
    BGP_PEER_FIELDS,
    parseCalicoRelease,
} from "./spec";
export { validateBgpPeer, ValidationFailure, ValidBgpPeerSpec, BgpPeerValidation, BgpPeerToValidate, parsePeerIP, ipFamily, MAX_INT32 } from "./validate";
export { isValidName, nameProblem } from "./names";
