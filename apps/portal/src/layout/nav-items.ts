/** One entry of the side navigation. */
export interface NavItem {
  readonly id: string;
  readonly label: string;
  readonly href: string;
  /** Pages whose server API does not exist yet stay hidden until it lands. */
  readonly enabled: boolean;
}

/** The navigation, in order: Defender's sections, each switched on when its API exists. */
export const navItems = [
  { id: 'alerts', label: 'Alerts', href: '#/alerts', enabled: true },
  { id: 'devices', label: 'Devices', href: '#/devices', enabled: true },
  { id: 'hunting', label: 'Advanced hunting', href: '#/hunting', enabled: true },
  { id: 'actions', label: 'Action center', href: '#/actions', enabled: true },
  { id: 'rules', label: 'Rules', href: '#/rules', enabled: true },
  { id: 'indicators', label: 'Indicators', href: '#/indicators', enabled: true },
] as const satisfies readonly NavItem[];

/** The entries to show. */
export function visibleNavItems(items: readonly NavItem[] = navItems): NavItem[] {
  return items.filter((item) => item.enabled);
}
