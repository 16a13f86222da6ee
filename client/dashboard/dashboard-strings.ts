import type { Locale } from '../i18n.js'

/** Every text the dashboard shows. */
export interface DashboardStrings {
  title: string
  keyLabel: string
  signIn: string
  signOut: string
  keyHint: string
  wrongKey: string
  rateLimited: string
  unreachable: string
  live: string
  connecting: string
  figures: string
  connections: string
  users: string
  publishedPerSecond: string
  deliveredPerSecond: string
  chatPerSecond: string
  latency: string
  eventLoopLag: string
  memory: string
  trafficChart: string
  audienceChart: string
  recent: string
  noneYet: string
  rooms: string
  topics: string
  name: string
  connectionsShort: string
  nodes: string
  node: string
  publish: string
  titleField: string
  bodyField: string
  levelField: string
  targetField: string
  everyone: string
  topic: string
  user: string
  send: string
  published: (id: string) => string
  levels: Record<'info' | 'success' | 'warning' | 'error', string>
  perSecond: string
}

const en: DashboardStrings = {
  title: 'Tidings dashboard',
  keyLabel: 'API key',
  signIn: 'Sign in',
  signOut: 'Sign out',
  keyHint: 'Any key accepted by POST /notify. Kept for this tab only.',
  wrongKey: 'This key is not valid.',
  rateLimited: 'Too many wrong keys from this address: wait a few minutes.',
  unreachable: 'The hub cannot be reached.',
  live: 'Live',
  connecting: 'Connecting…',
  figures: 'Live figures',
  connections: 'Connections',
  users: 'Users online',
  publishedPerSecond: 'Published /s',
  deliveredPerSecond: 'Delivered /s',
  chatPerSecond: 'Chat messages /s',
  latency: 'Delivery latency (p50 / p95)',
  eventLoopLag: 'Event-loop lag (p99)',
  memory: 'Memory (RSS)',
  trafficChart: 'Notifications and chat per second, last 5 minutes',
  audienceChart: 'Connections and users, last 5 minutes',
  recent: 'Recent notifications',
  noneYet: 'None yet',
  rooms: 'Busiest rooms',
  topics: 'Busiest topics',
  name: 'Name',
  connectionsShort: 'Connections',
  nodes: 'Nodes',
  node: 'Node',
  publish: 'Publish a notification',
  titleField: 'Title',
  bodyField: 'Body',
  levelField: 'Level',
  targetField: 'To',
  everyone: 'Everyone',
  topic: 'Topic',
  user: 'User',
  send: 'Publish',
  published: (id) => `Published (${id})`,
  levels: { info: 'Info', success: 'Success', warning: 'Warning', error: 'Error' },
  perSecond: '/s',
}

const fr: DashboardStrings = {
  title: 'Tableau de bord Tidings',
  keyLabel: 'Clé d’API',
  signIn: 'Se connecter',
  signOut: 'Se déconnecter',
  keyHint: 'Une clé acceptée par POST /notify. Gardée pour cet onglet seulement.',
  wrongKey: 'Cette clé n’est pas valide.',
  rateLimited: 'Trop de clés erronées depuis cette adresse : patientez quelques minutes.',
  unreachable: 'Le hub est injoignable.',
  live: 'En direct',
  connecting: 'Connexion…',
  figures: 'Chiffres en direct',
  connections: 'Connexions',
  users: 'Utilisateurs en ligne',
  publishedPerSecond: 'Publiées /s',
  deliveredPerSecond: 'Remises /s',
  chatPerSecond: 'Messages de chat /s',
  latency: 'Latence de remise (p50 / p95)',
  eventLoopLag: 'Retard de la boucle (p99)',
  memory: 'Mémoire (RSS)',
  trafficChart: 'Notifications et chat par seconde, 5 dernières minutes',
  audienceChart: 'Connexions et utilisateurs, 5 dernières minutes',
  recent: 'Notifications récentes',
  noneYet: 'Aucune pour l’instant',
  rooms: 'Salons les plus actifs',
  topics: 'Sujets les plus suivis',
  name: 'Nom',
  connectionsShort: 'Connexions',
  nodes: 'Nœuds',
  node: 'Nœud',
  publish: 'Publier une notification',
  titleField: 'Titre',
  bodyField: 'Texte',
  levelField: 'Niveau',
  targetField: 'Pour',
  everyone: 'Tout le monde',
  topic: 'Sujet',
  user: 'Utilisateur',
  send: 'Publier',
  published: (id) => `Publiée (${id})`,
  levels: { info: 'Info', success: 'Succès', warning: 'Alerte', error: 'Erreur' },
  perSecond: '/s',
}

/** The dashboard's texts in `locale`. */
export const dashboardStrings = (locale: Locale): DashboardStrings => (locale === 'fr' ? fr : en)
