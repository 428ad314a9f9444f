// The measuring worker of "Throughput vs Durability" (src/ui/tradeoffs/worker.rs).
// The page's first message is [URL of the app's JavaScript module, its compiled
// WebAssembly.Module]; the messages after it wait here until the app's own code has
// started, then it takes them and every later one.
self.onmessage = async ({ data: [app, module] }) => {
  const early = [];
  self.onmessage = ({ data }) => early.push(data);
  try {
    const bindings = await import(app);
    await bindings.default({ module_or_path: module });
    bindings.serve_measure_worker(early);
  } catch (error) {
    self.postMessage(`measure-worker failed to start: ${error}`);
  }
};
