/** A connection type: which fields it has, which are secret, which are required. */
export interface FieldSpec {
  name: string;
  label: string;
  kind: 'plain' | 'secret';
  required?: boolean;
  /** Shown in the editor when the field is empty; never applied silently to stored data. */
  default?: string;
  /** Written by the runtime itself (refreshed tokens): not offered in the editor's form. */
  runtimeWritten?: boolean;
  /** Shown as a choice of these values in the editor. */
  options?: string[];
}

export interface ConnectionType {
  name: string;
  label: string;
  /** A Font Awesome 4 icon name, for the editor. */
  icon: string;
  fields: FieldSpec[];
  /** `custom` accepts any field names, plain or secret. */
  openFields?: boolean;
}

export function plain(name: string, label: string, extra: Partial<FieldSpec> = {}): FieldSpec {
  return { name, label, kind: 'plain', ...extra };
}

export function secret(name: string, label: string, extra: Partial<FieldSpec> = {}): FieldSpec {
  return { name, label, kind: 'secret', ...extra };
}
