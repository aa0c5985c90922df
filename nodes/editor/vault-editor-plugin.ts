import { registerEditorPlugin, type NodeRedWithPlugins } from '../runtime';

/** The package's editor plugin (package.json "node-red".plugins): its runtime part lives in nodes/runtime. */
export = function register(RED: NodeRedWithPlugins): void {
  registerEditorPlugin(RED);
};
