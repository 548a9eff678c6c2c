import type { MeasureText } from './measure-text.types';

/**
 * PHQ-9 in French (Canada) as published by the Institut national de santé publique du Québec in its
 * toolkit of standardized instruments, verbatim, including its answer heading "Plus de sept jours".
 * The source gives no French difficulty question or credit line, so those stay in English. See
 * SOURCES.md. Do not edit the wording.
 */
export const PHQ9_FR: MeasureText = {
  language: 'fr',
  fullName: 'Patient Health Questionnaire – 9 items (PHQ-9)',
  stem: 'Au cours des deux dernières semaines, à quelle fréquence avez-vous été dérangé(e) par les problèmes suivants?',
  items: [
    'Peu d’intérêt ou de plaisir à faire des choses',
    'Se sentir triste, déprimé(e) ou désespéré(e)',
    'Difficultés à s’endormir ou à rester endormi(e), ou trop dormir',
    'Se sentir fatigué(e) ou avoir peu d’énergie',
    'Peu d’appétit ou trop manger',
    'Mauvaise perception de vous-même — ou vous pensez que vous êtes un perdant ou que vous n’avez pas satisfait vos propres attentes ou celles de votre famille',
    'Difficultés à se concentrer sur des choses telles que lire le journal ou regarder la télévision',
    'Vous bougez ou parlez si lentement que les autres personnes ont pu le remarquer. Ou au contraire — vous êtes si agité(e) que vous bougez beaucoup plus que d’habitude',
    'Vous avez pensé que vous seriez mieux mort(e) ou pensé à vous blesser d’une façon ou d’une autre',
  ],
  options: ['Jamais', 'Plusieurs jours', 'Plus de sept jours', 'Presque tous les jours'],
  difficulty: null,
  attribution: null,
  source: 'INSPQ, post-disaster mental health toolkit, Questionnaire 2 (see SOURCES.md)',
};
