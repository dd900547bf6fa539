import { strict as assert } from "assert";
import { mustSave, savePendingAfter } from "../../../provider/core/save";

describe("saving (core/save)", () => {
    // [saveConfig, changed now, pending before] → [saves, pending after a failed save]
    const cases: [boolean, boolean, boolean, boolean, boolean][] = [
        [false, true, true, false, false],
        [true, false, false, false, false],
        [true, true, false, true, true],
        [true, false, true, true, true],
        [true, true, true, true, true],
    ];
    for (const [saveConfig, changed, pending, saves, stillPending] of cases) {
        it(`saveConfig ${saveConfig}, changed ${changed}, pending ${pending}: ${saves ? "saves" : "no save"}`, () => {
            assert.equal(mustSave(saveConfig, changed, pending), saves);
            assert.equal(savePendingAfter(saveConfig, changed, pending, false), stillPending, "after a save that failed");
            assert.equal(savePendingAfter(saveConfig, changed, pending, true), false, "after a save that completed");
        });
    }
});
