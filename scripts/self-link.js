// Makes `require("pulumi-calico-adc")` resolve inside this repository, exactly as it does in a
// user's project. The dynamic resources' serialized shims load the implementation by package
// name at call time, so the examples and tests (whose programs live in this repository) need
// the name to resolve from their working directory. Does nothing when installed as a dependency.
const fs = require("fs");
const path = require("path");
const root = path.resolve(__dirname, "..");
if (root.split(path.sep).includes("node_modules")) process.exit(0);
const link = path.join(root, "node_modules", "pulumi-calico-adc");
try {
  if (fs.readlinkSync(link) === "..") process.exit(0);
  fs.rmSync(link, { recursive: true, force: true });
} catch {
  /* not there yet */
}
fs.mkdirSync(path.dirname(link), { recursive: true });
fs.symlinkSync("..", link, "dir");
