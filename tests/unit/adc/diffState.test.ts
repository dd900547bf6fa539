import { strict as assert } from "assert";
import { diffState } from "../../../provider/adc/state";

describe("diffState: what up and refresh see as a change", () => {
    const inputs = { localAsn: 500, saveConfig: true };
    const keys = ["localAsn", "saveConfig"];

    it("a save recorded as pending is a change (refresh reports it, up saves), until it is cleared", () => {
        assert.equal(diffState({ ...inputs, savePending: true }, inputs, keys).changes, true);
        assert.equal(diffState({ ...inputs, savePending: false }, inputs, keys).changes, false);
        assert.equal(diffState(inputs, inputs, keys).changes, false, "state written before savePending existed");
    });

    it("refresh's reversed call (refreshed outputs against stored inputs) reports the pending save too", () => {
        const refreshed = { ...inputs, savePending: true, routerPresent: true };
        assert.deepEqual(diffState(refreshed, inputs, keys), { changes: true, replaces: [], deleteBeforeReplace: true });
    });
});
